/**
 * The run as Markdown, for a pull-request comment or a CI job summary ($GITHUB_STEP_SUMMARY): the
 * verdict, the counts, the requirement × target matrix in marks, then what went wrong, cell by cell.
 */
import { targetLabel } from '../catalog/applicability.ts';
import { isKnownStatus, overallVerdict, statusCounts, statusLabel, statusMark } from './status-text.ts';
import { truncate } from './summary.ts';
import type { ConformanceReport, RequirementResult } from './types.ts';
import { visible } from './visible.ts';

/** Enough of a message to act on; the whole one is in conformance.json and on the page. */
const MESSAGE_LENGTH = 300;
/** Past this many cells the list stops: a PR comment must stay readable (and under GitHub's limit). */
const MAX_LISTED = 40;

const LISTED = new Set(['conforms', 'not-applicable', 'not-covered']);

/** Markdown-inert text: one line, HTML and Markdown punctuation escaped. */
export function escapeMarkdown(text: string): string {
  return visible(text)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}

export function renderMarkdownSummary(report: ConformanceReport): string {
  const verdict = overallVerdict(report);
  const targets = report.run.targets;
  const lines: string[] = [];
  lines.push(`## ${verdict.mark} ${escapeMarkdown(report.client.name)}: ${verdict.title.toLowerCase()}`);
  lines.push('');
  const facts = [
    `${escapeMarkdown(report.suite.name)} ${escapeMarkdown(report.suite.version)}`,
    `driver ${escapeMarkdown(report.client.driver)}`,
    `versions ${escapeMarkdown(report.client.version)}`,
    ...(report.client.defect === undefined ? [] : [`defect ${escapeMarkdown(report.client.defect)}`]),
    `${report.summary.scenarios} scenarios on ${targets.length} target${targets.length === 1 ? '' : 's'}`,
    escapeMarkdown(report.run.startedAt),
  ];
  lines.push(`**${escapeMarkdown(verdict.detail)}** · ${facts.join(' · ')}`);
  lines.push('');
  const counts = statusCounts(report);
  lines.push(
    counts
      .map(([status, count]) => `${statusMark(status)} ${count} ${escapeMarkdown(statusLabel(status))}`)
      .join(' · '),
  );
  lines.push('');

  const columns = targets.map((target) => escapeMarkdown(targetLabel(target)));
  lines.push(`| Requirement | ${columns.join(' | ')} |`);
  lines.push(`| --- | ${columns.map(() => ':-:').join(' | ')} |`);
  const rows = new Map<string, Map<string, string>>();
  for (const result of report.results) {
    const row = rows.get(result.requirement) ?? new Map<string, string>();
    row.set(targetLabel(result), result.status);
    rows.set(result.requirement, row);
  }
  for (const [requirement, row] of rows) {
    const cells = targets.map((target) => {
      const status = row.get(targetLabel(target));
      return status === undefined ? ' ' : cellMark(status);
    });
    lines.push(`| ${escapeMarkdown(requirement)} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  lines.push(
    `Legend: ${counts.map(([status]) => `${statusMark(status)} ${escapeMarkdown(statusLabel(status))}`).join(' · ')}`,
  );

  const listed = report.results.filter((result) => !LISTED.has(result.status));
  if (listed.length > 0) {
    lines.push('');
    lines.push(`### Not conforming (${listed.length})`);
    lines.push('');
    for (const result of listed.slice(0, MAX_LISTED)) lines.push(cellLine(result));
    if (listed.length > MAX_LISTED) {
      lines.push(`- … and ${listed.length - MAX_LISTED} more: see conformance.json or index.html`);
    }
  }
  if (report.run.errors.length > 0) {
    lines.push('');
    lines.push(`### Run errors (${report.run.errors.length})`);
    lines.push('');
    for (const error of report.run.errors.slice(0, MAX_LISTED)) {
      lines.push(`- ${escapeMarkdown(truncate(error, MESSAGE_LENGTH))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A status this code does not know shows its name, not just a neutral mark. */
function cellMark(status: string): string {
  return isKnownStatus(status) ? statusMark(status) : `${statusMark(status)} ${escapeMarkdown(status)}`;
}

function cellLine(result: RequirementResult): string {
  const where = `${escapeMarkdown(result.requirement)} on ${escapeMarkdown(targetLabel(result))}`;
  const message =
    result.message === undefined
      ? ''
      : `: ${escapeMarkdown(truncate(result.message.replace(/\s+/g, ' '), MESSAGE_LENGTH))}`;
  return `- ${statusMark(result.status)} **${where}** (${escapeMarkdown(statusLabel(result.status))}, ${escapeMarkdown(result.title)})${message}`;
}
