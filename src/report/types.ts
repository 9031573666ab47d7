import type { Platform } from '../fixtures/types.ts';
import type { InterruptCause, InterruptExitCode } from '../runner/interruption.ts';

/** 0 passes, 1 fails the gate, 2 not conclusive; an interrupted run's is 128 + its signal's number. */
export type GateExitCode = 0 | 1 | 2 | InterruptExitCode;

/**
 * Verdict for one requirement on one client build:
 * - conforms: every scenario covering it reached and passed all its checks of it;
 * - nonconforming: a check of the requirement failed;
 * - blocked: a scenario covering it stopped before it had run all its checks of it, on another
 *   requirement's failure or because the client did not let the flow proceed;
 * - error: the harness or the environment failed (not the client's fault as far as we can tell);
 * - not-applicable: the catalog says the requirement does not apply to this platform/version;
 * - not-covered: applicable, but no scenario ran for it;
 * - expected-nonconforming: nonconforming or blocked, and listed in the run's expect file (`--expect`):
 *   known, and does not fail the gate.
 * - flaky: run more than once (--repeat), a scenario covering it gave different verdicts.
 */
export const REQUIREMENT_STATUSES = [
  'conforms',
  'nonconforming',
  'blocked',
  'error',
  'not-applicable',
  'not-covered',
  'expected-nonconforming',
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

/** An expect file's entry for a requirement × target cell: why the cell is known not to conform. */
export interface Expectation {
  reason: string;
  link?: string;
  /**
   * What the run found before the entry was applied: nonconforming or blocked (the cell is now
   * expected-nonconforming), conforms (the entry is out of date: the gate fails), error (stays error).
   */
  found: RequirementStatus;
}

export interface RequirementResult {
  requirement: string;
  title: string;
  level: 'documented' | 'inferred' | 'standard';
  platform: Platform;
  clientVersion: string;
  status: RequirementStatus;
  scenarios: ScenarioResult[];
  /** Why the status is not "conforms": the failing check's message, the blocker, the error. */
  message?: string;
  /** Present when the run's expect file lists this cell. */
  expectation?: Expectation;
}

/** One requirement × target cell. */
export interface CellRef {
  requirement: string;
  platform: Platform;
  clientVersion: string;
}

/** A cell whose status differs between two reports. */
export interface CellChange extends CellRef {
  from: RequirementStatus;
  to: RequirementStatus;
  /** The newer report's message for the cell, if any. */
  message?: string;
}

/** What changed between an older report and a newer one (`connector-conformance diff`, `--baseline`). */
export interface ReportDiff {
  /** Cells that conformed (or were expected) and now do worse; they fail the gate. */
  regressions: CellChange[];
  /** Cells that do better than before. */
  fixes: CellChange[];
  /** Other status changes (e.g. nonconforming → blocked, conforms → not-covered). */
  changes: CellChange[];
  newRequirements: string[];
  removedRequirements: string[];
  newTargets: { platform: Platform; clientVersion: string }[];
  removedTargets: { platform: Platform; clientVersion: string }[];
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
    /** The expect file the run was given (`--expect`), as given. */
    expect?: string;
    /** --shard: the slice of the run's scenarios this report covers. */
    shard?: { index: number; count: number };
    /** --repeat: how many times each scenario ran. */
    repeat?: number;
    /** --rerun-failed: the report whose failing scenarios were run again. */
    rerunOf?: string;
    /**
     * The run was stopped before its end: what was judged before `at` stands, the rest is `error`
     * (a scenario in flight) or `not-covered` (not started), saying so; exit 128 + the signal's number.
     */
    interrupted?: { by: InterruptCause; at: string };
    exitCode: GateExitCode;
    /** Harness or environment errors that are not tied to a requirement (bad flags, a dead mock). */
    errors: string[];
  };
  summary: Record<RequirementStatus, number> & { scenarios: number };
  results: RequirementResult[];
  /** The comparison with the report given as `--baseline`. */
  baseline?: ReportDiff & { file: string };
}
