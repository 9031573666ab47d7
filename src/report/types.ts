import type { Platform } from '../fixtures/types.ts';

/**
 * Verdict for one requirement on one client build:
 * - conforms: verified by at least one scenario, never failed or errored;
 * - nonconforming: a check of the requirement failed;
 * - blocked: every scenario covering it stopped before its check, on another requirement's failure
 *   or because the client did not let the flow proceed;
 * - error: the harness or the environment failed (not the client's fault as far as we can tell);
 * - not-applicable: the catalog says the requirement does not apply to this platform/version;
 * - not-covered: applicable, but no scenario ran for it;
 * - flaky: run more than once (--repeat), a scenario covering it gave different verdicts.
 */
export const REQUIREMENT_STATUSES = [
  'conforms',
  'nonconforming',
  'blocked',
  'error',
  'not-applicable',
  'not-covered',
  'flaky',
] as const;

export type RequirementStatus = (typeof REQUIREMENT_STATUSES)[number];

/** What one scenario showed about one requirement. */
export type ScenarioVerdict = 'passed' | 'failed' | 'blocked' | 'error' | 'flaky';

export interface ScenarioResult {
  name: string;
  /** Feature file and line, e.g. "features/shared/switching.feature:12". */
  location: string;
  verdict: ScenarioVerdict;
  /** The failing or blocking step's text and message, when not passed. */
  step?: string;
  message?: string;
  /** With --repeat, when the repetitions disagreed: the verdict of each, in order. */
  repetitions?: ScenarioVerdict[];
}

export interface RequirementResult {
  requirement: string;
  title: string;
  level: 'documented' | 'inferred';
  platform: Platform;
  clientVersion: string;
  status: RequirementStatus;
  scenarios: ScenarioResult[];
  /** Why the status is not "conforms": the failing check's message, the blocker, the error. */
  message?: string;
}

export interface ConformanceReport {
  reportVersion: 1;
  suite: { name: string; version: string };
  client: { name: string; driver: string; version: string; defect?: string };
  run: {
    startedAt: string;
    finishedAt: string;
    durationMs: number;
    targets: { platform: Platform; clientVersion: string }[];
    tags?: string;
    /** --shard: the slice of the run's scenarios this report covers. */
    shard?: { index: number; count: number };
    /** --repeat: how many times each scenario ran. */
    repeat?: number;
    /** --rerun-failed: the report whose failing scenarios were run again. */
    rerunOf?: string;
    exitCode: 0 | 1 | 2;
    /** Harness or environment errors that are not tied to a requirement (bad flags, a dead mock). */
    errors: string[];
  };
  summary: Record<RequirementStatus, number> & { scenarios: number };
  results: RequirementResult[];
}
