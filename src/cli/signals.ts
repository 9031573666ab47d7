/**
 * The command line's side of an interruption (src/runner/interruption.ts). SIGINT, SIGTERM and
 * SIGHUP abort the run: the step in flight is let go, every child the run started is stopped, and
 * the report is written, marked interrupted; the command exits 128 + the signal's number. A second
 * signal stops at once, without a report (the exit hooks still kill the clients, containers and
 * browsers). A run whose parent process went away (a terminal closed, `npx` killed) stops as on
 * SIGHUP instead of going on unseen.
 */

import { isProcessAlive } from '../process-alive.ts';
import { INTERRUPT_EXIT_CODES, INTERRUPT_SIGNALS, type InterruptCause } from '../runner/interruption.ts';
import { err } from './output.ts';

/** How often the run checks that the process that started it is still there, in ms. */
const PARENT_CHECK_MS = 1000;

export interface SignalWatch {
  /** Aborted, with the signal's name as its reason, on the first signal. */
  signal: AbortSignal;
  /** Stops listening: the signals' default behaviour is back. */
  dispose(): void;
}

export function watchSignals(): SignalWatch {
  const controller = new AbortController();
  const onSignal = (name: Exclude<InterruptCause, 'abort'>) => {
    if (!controller.signal.aborted) {
      err(
        `\nconnector-conformance: ${name}: stopping the run; the report will show what was judged before it (a second signal stops at once, without a report)\n`,
      );
      controller.abort(name);
      return;
    }
    err(`connector-conformance: ${name} again: stopping at once, without a report\n`);
    process.exit(INTERRUPT_EXIT_CODES[name]);
  };
  const handlers = INTERRUPT_SIGNALS.map((name) => {
    const handler = () => onSignal(name);
    process.on(name, handler);
    return [name, handler] as const;
  });
  const parent = process.ppid;
  const parentCheck = setInterval(() => {
    if (parent <= 1 || isProcessAlive(parent)) return;
    clearInterval(parentCheck);
    err(`\nconnector-conformance: the process that started the run (${parent}) has ended\n`);
    onSignal('SIGHUP');
  }, PARENT_CHECK_MS);
  parentCheck.unref();
  return {
    signal: controller.signal,
    dispose() {
      clearInterval(parentCheck);
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
