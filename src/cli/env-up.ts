/**
 * `connector-conformance env up`: the simulated world alone — one identity provider per fixture
 * organisation and the policy API over HTTP, all on 127.0.0.1 — for a person or an external client
 * to use, until SIGTERM or SIGINT. It prints its URLs: a line per service, then one JSON line
 * (`{"policyApi": ..., "identityProviders": {...}}`) for scripts.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulatedWorld } from '../environment/simulated-world.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { flagErrorLine } from './flags.ts';
import { err, out } from './output.ts';

/** Bad flags: one line naming the flag. */
class EnvUsageError extends Error {
  override name = 'EnvUsageError';
}

export interface EnvUpArgs {
  fixturesDir: string;
  /** The policy API's port; the identity providers take the ports after it. 0: free ports. */
  port: number;
}

export function parseEnvUpArgs(args: string[]): EnvUpArgs {
  const [action, ...rest] = args;
  if (action !== 'up') throw new EnvUsageError(`env: expected "env up" (got "env ${action ?? ''}")`);
  let values: { fixtures?: string; port?: string };
  try {
    values = parseArgs({
      args: rest,
      options: { fixtures: { type: 'string' }, port: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new EnvUsageError(flagErrorLine(error));
  }
  const port = values.port ?? '0';
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65000) {
    throw new EnvUsageError(`--port: expected a port from 0 (free ports) to 65000 (got "${port}")`);
  }
  return { fixturesDir: path.resolve(values.fixtures ?? DEFAULT_OPTIONS.fixturesDir), port: Number(port) };
}

export async function envCommand(args: string[]): Promise<number> {
  let parsed: EnvUpArgs;
  try {
    parsed = parseEnvUpArgs(args);
  } catch (error) {
    if (!(error instanceof EnvUsageError)) throw error;
    err(`connector-conformance: ${error.message}\n`);
    return 2;
  }
  let world: Awaited<ReturnType<typeof startSimulatedWorld>>;
  try {
    world = await startSimulatedWorld({
      fixturesDir: parsed.fixturesDir,
      policyApi: 'http',
      ...(parsed.port ? { basePort: parsed.port } : {}),
    });
  } catch (error) {
    err(`connector-conformance: ${(error as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  const identityProviders = Object.fromEntries(
    [...world.identityProviders].map(([organisation, idp]) => [organisation, idp.issuer]),
  );
  const lines = [
    `policy API          ${world.policyApiUrl}/zcc/api/v1`,
    ...Object.entries(identityProviders).map(
      ([organisation, issuer]) => `identity provider   ${organisation.padEnd(10)} ${issuer}`,
    ),
    JSON.stringify({ policyApi: world.policyApiUrl, identityProviders }),
  ];
  out(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await world.close();
  return 0;
}
