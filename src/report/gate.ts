/**
 * Whether a report lets a build ship: its exit code, and the reasons a gate fails beyond the cells'
 * own statuses (an expect file out of date, regressions against a baseline).
 */
import { INTERRUPT_EXIT_CODES, type InterruptCause } from '../runner/interruption.ts';
import type { ConformanceReport, GateExitCode, RequirementResult, RequirementStatus } from './types.ts';

/**
 * Statuses that do not fail the gate. Any other status fails it (exit 1), `error` with exit 2,
 * including statuses this version does not know.
 */
const PASSING: ReadonlySet<string> = new Set<RequirementStatus>([
  'conforms',
  'expected-nonconforming',
  'not-applicable',
  'not-covered',
]);

/** Statuses that say nothing about the client's conformance either way. */
export const NEUTRAL: ReadonlySet<string> = new Set<RequirementStatus>(['not-applicable', 'not-covered']);

export function failsGate(status: string): boolean {
  return !PASSING.has(status);
}

/** A cell the expect file lists as not conforming that conformed in this run. */
export function nowConforms(result: RequirementResult): boolean {
  return result.expectation?.found === 'conforms' && result.status === 'conforms';
}

/**
 * 128 + the signal's number for an interrupted run; else 2 on any error, 1 when a cell fails the
 * gate, an expected cell conforms or a baseline regressed, else 0.
 */
export function gateExitCode(
  report: Pick<ConformanceReport, 'results' | 'baseline'> & {
    run: { errors: readonly string[]; interrupted?: { by: InterruptCause } | undefined };
  },
): GateExitCode {
  const { results } = report;
  if (report.run.interrupted !== undefined) return INTERRUPT_EXIT_CODES[report.run.interrupted.by];
  if (report.run.errors.length > 0 || results.some((r) => r.status === 'error')) return 2;
  if (results.some((r) => failsGate(r.status) || nowConforms(r))) return 1;
  if ((report.baseline?.regressions.length ?? 0) > 0) return 1;
  return 0;
}

/**
 * How many applicable cells the run checked: a not-covered cell passes the gate but was not checked,
 * so a verdict must say how much of the suite it rests on.
 */
export function cellCoverage(report: Pick<ConformanceReport, 'results'>): {
  checked: number;
  applicable: number;
} {
  const applicable = report.results.filter((r) => r.status !== 'not-applicable');
  return {
    checked: applicable.filter((r) => r.status !== 'not-covered').length,
    applicable: applicable.length,
  };
}

/** "120 of 136 applicable cells checked" when some applicable cell was not; undefined when all were. */
export function partialCoverage(report: Pick<ConformanceReport, 'results'>): string | undefined {
  const { checked, applicable } = cellCoverage(report);
  return checked < applicable ? `${checked} of ${applicable} applicable cells checked` : undefined;
}

/** The verdict of a passing run that left applicable cells unchecked (`partial` from partialCoverage). */
export function partialPass(report: Pick<ConformanceReport, 'results'>, partial: string): string {
  return cellCoverage(report).checked === 0
    ? `${partial}: nothing was checked, which --pass-with-no-scenarios accepts (exit 0)`
    : `${partial}, and each conforms; the others were not run (exit 0)`;
}

export function cellLabel(cell: { requirement: string; platform: string; clientVersion: string }): string {
  return `${cell.requirement} on ${cell.platform} ${cell.clientVersion}`;
}

/** One line per reason the gate fails that a cell's status does not show: out-of-date expectations, regressions. */
export function gateFindings(report: ConformanceReport): string[] {
  const lines = report.results
    .filter(nowConforms)
    .map((r) => `${cellLabel(r)} now conforms; remove it from ${report.run.expect ?? 'the expect file'}`);
  for (const change of report.baseline?.regressions ?? []) {
    lines.push(
      `${cellLabel(change)} regressed: ${change.from} → ${change.to} (against ${report.baseline?.file})`,
    );
  }
  return lines;
}
