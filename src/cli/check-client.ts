/**
 * `connector-conformance check-client URL`: the self-test a vendor runs against their ccdp/1 adapter
 * before a conformance run. It starts the harness's simulated world on 127.0.0.1 (or uses one already
 * running, --policy-api), runs every check of src/check-client/ and prints a table or JSON.
 * Exit 0 every check passed, 1 one failed, 2 bad input or the world did not start.
 */
import type { Target } from '../catalog/types.ts';
import { renderJson, renderTable } from '../check-client/report.ts';
import { exitCode, runChecks } from '../check-client/run.ts';
import { DEFAULT_ACTION_TIMEOUT_MS } from '../drivers/remote.ts';
import { type SimulatedWorld, startSimulatedWorld } from '../environment/simulated-world.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { InputError } from './flags.ts';
import { err, out } from './output.ts';

/** commander's values, strings until checkClientArgs parses them. */
export interface CheckClientFlags {
  json?: boolean;
  actionTimeout?: string;
  platform?: string;
  clientVersion?: string;
  policyApi?: string;
}

export interface CheckClientArgs {
  url: string;
  json: boolean;
  actionTimeoutMs: number;
  expected: Partial<Target>;
  /** A simulated world already running (`env up`); absent: start one. */
  policyApiUrl?: string;
}

const VERSION = /^\d+(\.\d+){0,3}$/;

/** The argument and flags, checked; throws InputError naming the one that is wrong. */
export function checkClientArgs(url: string, flags: CheckClientFlags): CheckClientArgs {
  const { platform, clientVersion, actionTimeout = String(DEFAULT_ACTION_TIMEOUT_MS) } = flags;
  if (platform !== undefined && platform !== 'windows' && platform !== 'macos') {
    throw new InputError(`--platform: expected windows or macos (got "${platform}")`);
  }
  if (clientVersion !== undefined && !VERSION.test(clientVersion)) {
    throw new InputError(`--client-version: expected a version like 4.7 (got "${clientVersion}")`);
  }
  if (!/^\d{1,7}$/.test(actionTimeout) || Number(actionTimeout) === 0) {
    throw new InputError(
      `--action-timeout: expected milliseconds, a whole number above 0 (got "${actionTimeout}")`,
    );
  }
  return {
    url: loopbackOrigin('URL', url),
    json: flags.json === true,
    actionTimeoutMs: Number(actionTimeout),
    expected: {
      ...(platform === undefined ? {} : { platform }),
      ...(clientVersion === undefined ? {} : { clientVersion }),
    },
    ...(flags.policyApi === undefined
      ? {}
      : { policyApiUrl: loopbackOrigin('--policy-api', flags.policyApi) }),
  };
}

/** `http://127.0.0.1:PORT` (or localhost): nothing beyond this machine is reached. */
function loopbackOrigin(name: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (
    url?.protocol !== 'http:' ||
    !['127.0.0.1', 'localhost'].includes(url.hostname) ||
    url.port === '' ||
    url.pathname !== '/'
  ) {
    throw new InputError(`${name}: expected http://127.0.0.1:PORT or http://localhost:PORT (got "${value}")`);
  }
  return url.origin;
}

export async function checkClientCommand(url: string, flags: CheckClientFlags): Promise<number> {
  const args = checkClientArgs(url, flags);
  let world: SimulatedWorld | undefined;
  let policyApiUrl = args.policyApiUrl;
  if (policyApiUrl === undefined) {
    try {
      world = await startSimulatedWorld({ fixturesDir: DEFAULT_OPTIONS.fixturesDir });
      policyApiUrl = world.policyApiUrl;
    } catch (error) {
      err(
        `connector-conformance check-client: the simulated world did not start: ${(error as Error).message.split('\n')[0]}\n`,
      );
      return 2;
    }
  }
  try {
    const results = await runChecks({
      baseUrl: args.url,
      actionTimeoutMs: args.actionTimeoutMs,
      policyApiUrl,
      expected: args.expected,
    });
    out(args.json ? renderJson(args.url, results) : renderTable(results));
    return exitCode(results);
  } finally {
    await world?.close();
  }
}
