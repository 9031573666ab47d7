import { cellLabel, failsGate, gateFindings } from './gate.ts';
import { type ConformanceReport, REQUIREMENT_STATUSES, type RequirementStatus } from './types.ts';
import { visible } from './visible.ts';

export interface SummaryOptions {
  color: boolean;
  /** Line width to fit; 100 by default. */
  width?: number;
}

export const STATUS_SYMBOLS: Record<RequirementStatus, string> = {
  conforms: '✓',
  nonconforming: '✗',
  blocked: '⊘',
  error: '!',
  'not-applicable': '–',
  'not-covered': '?',
  'expected-nonconforming': '≈',
  flaky: '~',
};

const STATUS_COLORS: Record<RequirementStatus, string> = {
  conforms: '32',
  nonconforming: '31',
  blocked: '33',
  error: '35;1',
  'not-applicable': '2',
  'not-covered': '36',
  'expected-nonconforming': '34',
  flaky: '33;1',
};

/** A status this version does not know (from a newer report) prints as its name's first letter, plain. */
function symbolOf(status: string): string {
  return (STATUS_SYMBOLS as Record<string, string | undefined>)[status] ?? status.charAt(0);
}

function colorOf(status: string): string {
  return (STATUS_COLORS as Record<string, string | undefined>)[status] ?? '0';
}

/** Cuts text to `width` characters, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 0) return '';
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** Text from the report on one line, its control characters made visible (the table prints as is). */
function oneLine(text: string): string {
  return visible(text).replace(/\s+/g, ' ').trim();
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

function center(text: string, width: number): string {
  const free = Math.max(0, width - [...text].length);
  const left = Math.floor(free / 2);
  return ' '.repeat(left) + text + ' '.repeat(free - left);
}

/**
 * A compact terminal table: one row per requirement, one column per target, then totals, one line
 * per nonconforming/blocked/error cell, run errors and the scenario count.
 */
export function renderSummaryTable(report: ConformanceReport, options: SummaryOptions): string {
  const width = options.width ?? 100;
  const paint = (code: string, text: string): string =>
    options.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  const symbol = (status: string): string => paint(colorOf(status), symbolOf(status));
  const targetKey = (platform: string, version: string) => `${platform} ${version}`;

  const targets = report.run.targets.map((t) => oneLine(targetKey(t.platform, t.clientVersion)));
  const columns = targets.map((label) => Math.max(label.length, 3));
  const gap = '  ';
  const cellsWidth = columns.reduce((sum, w) => sum + w + gap.length, 0);

  const rows: { id: string; title: string; cells: Map<string, RequirementStatus> }[] = [];
  const byId = new Map<string, (typeof rows)[number]>();
  for (const result of report.results) {
    let row = byId.get(result.requirement);
    if (row === undefined) {
      row = { id: oneLine(result.requirement), title: result.title, cells: new Map() };
      byId.set(result.requirement, row);
      rows.push(row);
    }
    row.cells.set(oneLine(targetKey(result.platform, result.clientVersion)), result.status);
  }

  const idWidth = Math.max(0, ...rows.map((row) => row.id.length));
  const longestTitle = Math.max(0, ...rows.map((row) => [...oneLine(row.title)].length));
  const titleWidth = Math.max(0, Math.min(longestTitle, width - cellsWidth - idWidth - 1));
  const leftWidth = Math.max('Requirement'.length, titleWidth > 0 ? idWidth + 1 + titleWidth : idWidth);

  const lines: string[] = [];
  const header =
    pad('Requirement', leftWidth) + targets.map((label, i) => gap + center(label, columns[i] ?? 3)).join('');
  lines.push(paint('1', header.trimEnd()));
  for (const row of rows) {
    const left =
      titleWidth > 0 ? `${pad(row.id, idWidth)} ${truncate(oneLine(row.title), titleWidth)}` : row.id;
    const cells = targets.map((label, i) => {
      const status = row.cells.get(label);
      const cellWidth = columns[i] ?? 3;
      if (status === undefined) return gap + ' '.repeat(cellWidth);
      const free = cellWidth - 1;
      const before = Math.floor(free / 2);
      return `${gap}${' '.repeat(before)}${symbol(status)}${' '.repeat(free - before)}`;
    });
    lines.push(`${pad(left, leftWidth)}${cells.join('')}`.trimEnd());
  }
  lines.push('');

  const totals = REQUIREMENT_STATUSES.filter((status) => report.summary[status] > 0).map(
    (status) => `${symbol(status)} ${report.summary[status]} ${status.replaceAll('-', ' ')}`,
  );
  lines.push(totals.join('  '));

  const details = report.results.filter(
    (result) => failsGate(result.status) || result.status === 'expected-nonconforming',
  );
  const findings = gateFindings(report);
  if (details.length > 0 || findings.length > 0 || report.run.errors.length > 0) lines.push('');
  for (const result of details) {
    const why = result.expectation ? `expected (${oneLine(result.expectation.reason)}): ` : '';
    const text = `${oneLine(cellLabel(result))}: ${why}${oneLine(result.message ?? result.status)}`;
    // An error's cause is shown whole (a client command not found, a port in use): nothing in the
    // report says more, and its end is often the useful part. The others point at the report.
    lines.push(`${symbol(result.status)} ${result.status === 'error' ? text : truncate(text, width - 2)}`);
  }
  for (const finding of findings)
    lines.push(`${paint('31;1', '»')} ${truncate(oneLine(finding), width - 2)}`);
  for (const error of report.run.errors) lines.push(`${symbol('error')} run error: ${oneLine(error)}`);
  lines.push('');
  const count = report.summary.scenarios;
  lines.push(
    `${count} scenario${count === 1 ? '' : 's'} run on ${targets.length} target${targets.length === 1 ? '' : 's'} · exit code ${report.run.exitCode}`,
  );
  return `${lines.join('\n')}\n`;
}
