/**
 * Statuses as the page and the Markdown summary show them. Other parts of the harness may add
 * statuses this code does not know: those get a neutral mark and their own name.
 */
import { describeCause } from '../runner/interruption.ts';
import { partialCoverage, partialPass } from './gate.ts';
import { STATUS_SYMBOLS } from './summary.ts';
import { type ConformanceReport, REQUIREMENT_STATUSES } from './types.ts';

const MARKS: Partial<Record<string, string>> = STATUS_SYMBOLS;

/** The one-character mark of a status ("✓"); "•" for a status this code does not know. */
export function statusMark(status: string): string {
  return MARKS[status] ?? '•';
}

/** "not applicable" for "not-applicable". */
export function statusLabel(status: string): string {
  return status.replaceAll('-', ' ');
}

/** Whether the status gets its own colour (else the neutral one). */
export function isKnownStatus(status: string): boolean {
  return (REQUIREMENT_STATUSES as readonly string[]).includes(status);
}

/** Statuses that say what went wrong: their cells are detailed first. */
export function needsAttention(status: string): boolean {
  return status !== 'conforms' && status !== 'not-applicable' && status !== 'not-covered';
}

/** How many results have each status: the known statuses in their order, then any other seen. */
export function statusCounts(report: ConformanceReport): [string, number][] {
  const counts = new Map<string, number>(REQUIREMENT_STATUSES.map((status) => [status, 0]));
  for (const result of report.results) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
  return [...counts];
}

/**
 * The run's overall verdict, from its exit code. "Conforms" only when every applicable cell was
 * checked; otherwise the detail says how many were.
 */
export function overallVerdict(report: ConformanceReport): { mark: string; title: string; detail: string } {
  const partial = partialCoverage(report);
  const checked = partial === undefined ? '' : ` (${partial})`;
  const stopped = report.run.interrupted;
  if (stopped !== undefined) {
    return {
      mark: '!',
      title: 'Interrupted',
      detail: `the run was interrupted (${describeCause(stopped.by)}) before its end; what it judged before is shown, nothing after${checked} (exit ${report.run.exitCode})`,
    };
  }
  switch (report.run.exitCode) {
    case 0:
      return partial === undefined
        ? { mark: '✓', title: 'Conforms', detail: 'every applicable requirement conforms (exit 0)' }
        : {
            mark: '✓',
            title: 'Conforms where checked',
            detail: partialPass(report, partial),
          };
    case 1:
      return {
        mark: '✗',
        title: 'Does not conform',
        detail: `a requirement did not conform or could not be verified${checked} (exit 1)`,
      };
    default:
      return {
        mark: '!',
        title: 'Not conclusive',
        detail: `the harness or its environment failed; this says nothing about the client${checked} (exit 2)`,
      };
  }
}
