/**
 * What a check of check-client is: a plain value naming itself and the section of
 * docs/driver-protocol.md it holds the adapter to, and what it does. Checks run in order and share
 * one context (the status read, the session started); one that needs what an earlier one failed to
 * give is skipped.
 */
import type { Target } from '../catalog/types.ts';
import { ERROR_STATUS, type ErrorCode, type ViewResponse } from '../protocol/ccdp.ts';
import type { Answer, Probe } from './probe.ts';

export type Outcome = 'passed' | 'failed' | 'warning' | 'skipped';

export interface Finding {
  outcome: Exclude<Outcome, 'skipped'>;
  /** What was seen, in one line. */
  seen: string;
}

export interface Check {
  id: string;
  /** Where docs/driver-protocol.md says it, e.g. `driver-protocol.md#errors`. */
  section: string;
  run(context: CheckContext): Promise<Finding>;
}

/** How the checks probe: the waits they use and the limits they judge by, in ms. */
export interface Timing {
  /** A long poll that nothing should end early: it must be held this long. */
  holdMs: number;
  /** A long poll that something should end early: it must end within half of this. */
  longWaitMs: number;
  /** How much earlier than its wait a held long poll may answer (timers are coarse). */
  earlyMs: number;
  /** A quick request (status, view) slower than this, typically, is flagged. */
  slowMs: number;
}

export const DEFAULT_TIMING: Timing = { holdMs: 400, longWaitMs: 5000, earlyMs: 50, slowMs: 30 };

export interface CheckContext {
  probe: Probe;
  timing: Timing;
  /** The simulated policy API the session enrols against. */
  policyApiUrl: string;
  /** The fixture user enrolled; Windows 4.6 and later offer them Add Tenant's selection list. */
  username: string;
  /** What is typed into Username for the partner tenant. */
  partnerUsername: string;
  /** The platform and version the vendor said to expect (--platform, --client-version). */
  expected: Partial<Target>;
  /** The client's own target, from its status. */
  target?: Target;
  /** The running session and its last view. */
  session?: { id: string; last: ViewResponse };
}

export const pass = (seen: string): Finding => ({ outcome: 'passed', seen });
export const fail = (seen: string): Finding => ({ outcome: 'failed', seen });
export const warn = (seen: string): Finding => ({ outcome: 'warning', seen });

/** Thrown by a check: it failed, for this reason. */
export class CheckFailed extends Error {
  override name = 'CheckFailed';
}

/** Thrown by a check that needs what an earlier check did not give. */
export class NotRun extends Error {
  override name = 'NotRun';
}

export function needTarget(context: CheckContext): Target {
  if (context.target === undefined) throw new NotRun('needs the status (see status)');
  return context.target;
}

export function needSession(context: CheckContext): { id: string; last: ViewResponse } {
  if (context.session === undefined) throw new NotRun('needs a running session (see session-start)');
  return context.session;
}

/** The answer's body when it has the status and schema the protocol requires; CheckFailed otherwise. */
export function expectBody<T>(answer: Answer, status: number): T {
  if (answer.status === undefined) throw new CheckFailed(`${answer.where}: ${answer.noAnswer}`);
  if (answer.status !== status) {
    throw new CheckFailed(`${answer.where}: expected ${status}, got ${answer.status}${errorText(answer)}`);
  }
  if (answer.problems.length > 0)
    throw new CheckFailed(`${answer.where}: ${answer.status} with ${answer.problems.join('; ')}`);
  return answer.json as T;
}

/** The answer must be the ccdp/1 error `code` with its status. */
export function expectError(answer: Answer, code: ErrorCode): void {
  const body = expectBody<{ code: string }>(answer, ERROR_STATUS[code]);
  if (body.code !== code)
    throw new CheckFailed(`${answer.where}: expected ${code}, got ${answer.status} ${body.code}`);
}

/** ` BUSY: session s1 is running`, from an error body, when it is one. */
function errorText(answer: Answer): string {
  const body = answer.json as { code?: unknown; message?: unknown } | undefined;
  if (typeof body?.code === 'string') return ` ${body.code}: ${String(body.message)}`;
  return answer.problems.length > 0 ? ` (${answer.problems.join('; ')})` : '';
}
