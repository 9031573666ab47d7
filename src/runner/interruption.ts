/**
 * A run stopped before its end: by SIGINT, SIGTERM or SIGHUP (src/cli/signals.ts), by the process
 * that started it going away, or by the caller's AbortSignal (`runConformance({ signal })`).
 *
 * An interruption is the harness's doing, never the client's: what was judged before it stands, and
 * the step in flight and every scenario after it are reported as interrupted (steps/interruption.ts
 * turns what they end with into `RunInterrupted`), so a shutdown can never be filed as a
 * nonconformance or a block. One state per process: the runner's, or a worker's (workers.ts).
 */

/** What stopped the run: a signal, or `abort` for a caller's AbortSignal. */
export type InterruptCause = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'abort';

export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The exit code of a run each cause stopped: 128 + the signal's number, as shells report it. */
export const INTERRUPT_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143, abort: 130 } as const;

export type InterruptExitCode = (typeof INTERRUPT_EXIT_CODES)[InterruptCause];

export interface Interruption {
  by: InterruptCause;
  at: Date;
}

/** What a step or hook ends with when the run was interrupted before or while it ran. */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
}

let current: Interruption | undefined;
let pending = Promise.withResolvers<Interruption>();

/** The run's interruption, if it was interrupted. */
export function interruption(): Interruption | undefined {
  return current;
}

/** Resolves when the run is interrupted. */
export function whenInterrupted(): Promise<Interruption> {
  return pending.promise;
}

/** Marks the run interrupted; only the first cause counts. */
export function interrupt(by: InterruptCause): void {
  if (current !== undefined) return;
  current = { by, at: new Date() };
  pending.resolve(current);
}

/** A new run in this process starts uninterrupted. */
export function resetInterruption(): void {
  current = undefined;
  pending = Promise.withResolvers();
}

/** The cause an AbortSignal's reason names: a signal's name, else `abort`. */
export function causeOf(reason: unknown): InterruptCause {
  return INTERRUPT_SIGNALS.find((signal) => signal === reason) ?? 'abort';
}

export function describeCause(by: InterruptCause): string {
  return by === 'abort' ? 'its caller' : by;
}

/** "the run was interrupted (SIGTERM)" and what that means for `what`. */
export function interruptedMessage(state: Interruption, what: string): string {
  return `the run was interrupted (${describeCause(state.by)}) ${what}; nothing about the client is judged from it`;
}

/** Throws RunInterrupted when the run was interrupted; `what` says what cannot start. */
export function throwIfInterrupted(what: string): void {
  if (current !== undefined) throw new RunInterrupted(interruptedMessage(current, what));
}

/** Steps let go when the run was interrupted, still running: waited for before the world stops. */
const abandoned = new Set<Promise<unknown>>();

/** Lets a step in flight go on without it; its outcome is dropped. */
export function abandon(running: Promise<unknown>): void {
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  abandoned.add(settled);
  settled.finally(() => abandoned.delete(settled));
}

/**
 * Waits (up to `maxMs`) for the steps let go to end, so that none still uses the simulated world
 * (or, in process, fetches the policy API) once it stopped.
 */
export async function settleAbandoned(maxMs: number): Promise<void> {
  if (abandoned.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, maxMs);
  });
  await Promise.race([Promise.all(abandoned), deadline]);
  clearTimeout(timer);
}
