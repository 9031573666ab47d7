/**
 * The remote client of this worker: with `--client remote:URL` the one already running there; with
 * `--client-command`, a process started on the first scenario, replaced after a scenario in which it
 * broke the protocol (so one crash costs one scenario), and stopped after the run.
 */
import { AfterAll } from '@cucumber/cucumber';
import { ClientProcess } from '../src/drivers/client-process.ts';
import { parseClientSpec } from '../src/drivers/index.ts';
import { DEFAULT_ACTION_TIMEOUT_MS, type RemoteDriverOptions } from '../src/drivers/remote.ts';
import type { RunParameters } from './world.ts';

/** The least time a client process is given to answer its status after it was started. */
const MIN_STARTUP_MS = 10_000;

let started: Promise<ClientProcess> | undefined;
/** The running process broke the protocol: replace it before the next scenario. */
let broken = false;

/** The driver options for a remote client, or undefined for the other clients. */
export async function remoteDriverOptions(params: RunParameters): Promise<RemoteDriverOptions | undefined> {
  const spec = parseClientSpec(params.client);
  const actionTimeoutMs = params.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
  if (spec.kind === 'remote-url') return { baseUrl: spec.url, actionTimeoutMs };
  if (spec.kind !== 'remote-command') return undefined;
  const command = params.clientCommand;
  if (command === undefined) throw new Error('the remote client needs --client-command');
  if (started !== undefined) {
    const running = await started.catch(() => undefined);
    if (running !== undefined && (broken || !running.alive)) await stopClientProcess();
  }
  // A command that never came up is not retried: every scenario of this worker reports why.
  started ??= ClientProcess.start({
    command,
    platform: params.platform,
    clientVersion: params.clientVersion,
    startupTimeoutMs: Math.max(MIN_STARTUP_MS, actionTimeoutMs),
  });
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

export async function stopClientProcess(): Promise<void> {
  const stopping = started;
  started = undefined;
  broken = false;
  await (await stopping?.catch(() => undefined))?.stop();
}

AfterAll(stopClientProcess);
