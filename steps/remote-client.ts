/**
 * The remote client of this worker: with `--client remote:URL` the one already running there; with
 * `--client-command` a process, and with `--client image:NAME` a container, started on the first
 * scenario, replaced after a scenario in which it broke the protocol (so one crash costs one
 * scenario), and stopped after the target's run. A container's output is kept beside the target's
 * reports.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AfterAll } from '@cucumber/cucumber';
import { ClientContainer } from '../src/drivers/client-container.ts';
import { ClientProcess } from '../src/drivers/client-process.ts';
import { parseClientSpec } from '../src/drivers/index.ts';
import { DEFAULT_ACTION_TIMEOUT_MS, type RemoteDriverOptions } from '../src/drivers/remote.ts';
import { simulatedWorld } from '../src/runner/worker-resources.ts';
import { cleanup } from './interruption.ts';
import type { RunParameters } from './world.ts';

/** The least time a client process is given to answer its status after it was started. */
const MIN_STARTUP_MS = 10_000;

type StartedClient = ClientProcess | ClientContainer;

let started: Promise<StartedClient> | undefined;
/** The target's report folder, for the container's output. */
let reportDir: string | undefined;
/** The running client broke the protocol: replace it before the next scenario. */
let broken = false;

/** The driver options for a remote client, or undefined for the other clients. */
export async function remoteDriverOptions(params: RunParameters): Promise<RemoteDriverOptions | undefined> {
  const spec = parseClientSpec(params.client);
  const actionTimeoutMs = params.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
  if (spec.kind === 'remote-url') return { baseUrl: spec.url, actionTimeoutMs };
  if (spec.kind !== 'remote-command' && spec.kind !== 'remote-image') return undefined;
  if (started !== undefined) {
    const running = await started.catch(() => undefined);
    if (running !== undefined && (broken || !running.alive)) await stopRemoteClient();
  }
  const startupTimeoutMs = Math.max(MIN_STARTUP_MS, actionTimeoutMs);
  const target = { platform: params.platform, clientVersion: params.clientVersion, startupTimeoutMs };
  reportDir = params.reportDir;
  // A client that never came up is not retried: every scenario of this worker reports why.
  if (spec.kind === 'remote-image') {
    started ??= ClientContainer.start({ image: spec.image, ...target, environment: worldEnvironment() });
  } else {
    const command = params.clientCommand;
    if (command === undefined) throw new Error('the remote client needs --client-command');
    started ??= ClientProcess.start({ command, ...target });
  }
  const client = await started;
  broken = false;
  return {
    baseUrl: client.url,
    actionTimeoutMs,
    // A dropped connection is often seen a moment before the exit of the process that dropped it.
    describeFault: (how) => client.describeExit(how === 'dropped' ? 1000 : 0),
    onFault: () => {
      broken = true;
    },
  };
}

/** The simulated world's URLs, for a client that wants them before a session names the policy API. */
function worldEnvironment(): Record<string, string> {
  const world = simulatedWorld();
  const issuers = Object.fromEntries(
    [...world.identityProviders].map(([organisation, idp]) => [organisation, idp.issuer]),
  );
  return {
    CONNECTOR_CONFORMANCE_POLICY_API_URL: world.policyApiUrl,
    CONNECTOR_CONFORMANCE_IDENTITY_PROVIDERS: JSON.stringify(issuers),
  };
}

export async function stopRemoteClient(): Promise<void> {
  const stopping = started;
  const folder = reportDir;
  started = undefined;
  broken = false;
  const client = await stopping?.catch(() => undefined);
  if (client === undefined) return;
  try {
    await client.stop();
  } finally {
    if (client instanceof ClientContainer && folder !== undefined) {
      await mkdir(path.join(folder, 'evidence'), { recursive: true });
      await writeFile(path.join(folder, 'evidence', 'client-container.log'), `${client.output.join('\n')}\n`);
    }
  }
}

AfterAll(cleanup(stopRemoteClient));
