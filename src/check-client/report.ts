/** check-client's results as a table for a person, or JSON for a script. */
import { type CheckResult, isOk } from './run.ts';

export function renderTable(results: readonly CheckResult[]): string {
  const rows = [
    ['check', 'result', 'docs', 'seen'],
    ...results.map((r) => [r.id, r.outcome, r.section, r.seen]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) =>
    row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  '),
  );
  return `${lines.join('\n')}\n${summary(results)}\n`;
}

export function renderJson(url: string, results: readonly CheckResult[]): string {
  return `${JSON.stringify({ url, passed: results.every(isOk), checks: results }, null, 2)}\n`;
}

function summary(results: readonly CheckResult[]): string {
  const count = (outcome: CheckResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
  const warnings = count('warning');
  const parts = [
    `${count('passed')} passed`,
    `${warnings} warning${warnings === 1 ? '' : 's'}`,
    `${count('failed')} failed`,
  ];
  if (count('skipped') > 0) parts.push(`${count('skipped')} skipped`);
  return `${parts.join(', ')}: ${results.every(isOk) ? 'the adapter is ready for a conformance run' : 'fix the failed checks first'}`;
}
