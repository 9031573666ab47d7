/**
 * Once the run is interrupted (src/runner/interruption.ts), every step and hook ends as
 * `RunInterrupted`, whatever it would have ended with: a step or Before hook does not start, the one
 * in flight is let go at once (what it goes on doing is neither awaited nor judged), and one that
 * ends after the interruption ends interrupted, since what it saw may be the shutdown's doing.
 * Cleanup hooks (`cleanup(...)`) still run, to stop the client and release what the scenario held;
 * what they throw is reported as the interruption's too.
 */
import { setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import {
  abandon,
  interruptedMessage,
  interruption,
  RunInterrupted,
  throwIfInterrupted,
  whenInterrupted,
} from '../src/runner/interruption.ts';

type Code = (this: unknown, ...args: unknown[]) => unknown;

const CLEANUP = new WeakSet<object>();

/** Marks a hook as cleanup: it runs even in an interrupted run. */
export function cleanup<T extends (...args: never[]) => unknown>(code: T): T {
  CLEANUP.add(code);
  return code;
}

function guardedCleanup(code: Code): Code {
  return async function (this: unknown, ...args: unknown[]) {
    try {
      return await code.apply(this, args);
    } catch (error) {
      const state = interruption();
      if (state !== undefined)
        throw new RunInterrupted(interruptedMessage(state, 'while this hook cleaned up'));
      throw error;
    }
  };
}

function guardedStep(code: Code): Code {
  return async function (this: unknown, ...args: unknown[]) {
    throwIfInterrupted('before this step');
    const running = Promise.resolve().then(() => code.apply(this, args));
    const outcome = await Promise.race([
      running.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      whenInterrupted().then((state) => ({ state })),
    ]);
    if ('state' in outcome) abandon(running);
    const state = interruption();
    if (state !== undefined) throw new RunInterrupted(interruptedMessage(state, 'during this step'));
    if ('error' in outcome) throw outcome.error;
    return 'value' in outcome ? outcome.value : undefined;
  };
}

setDefinitionFunctionWrapper((code: Code) => (CLEANUP.has(code) ? guardedCleanup(code) : guardedStep(code)));
