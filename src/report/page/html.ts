/**
 * The conformance page: one self-contained HTML file (inline CSS and script, no external asset)
 * made from the report and the requirement catalog. Every text that comes from the report is
 * escaped: a client's error messages end up here.
 */
import { readFileSync } from 'node:fs';
import { describeApplicability, targetLabel } from '../../catalog/applicability.ts';
import type { Requirement, RequirementGroup } from '../../catalog/types.ts';
import { targetFolder } from '../layout.ts';
import {
  isKnownStatus,
  needsAttention,
  overallVerdict,
  statusCounts,
  statusLabel,
  statusMark,
} from '../status-text.ts';
import { truncate } from '../summary.ts';
import type { ConformanceReport, RequirementResult, ScenarioResult } from '../types.ts';
import { visible } from '../visible.ts';
import type { TargetEvidence } from './evidence-links.ts';

const STYLE = readFileSync(new URL('page.css', import.meta.url), 'utf8');
const SCRIPT = readFileSync(new URL('page.js', import.meta.url), 'utf8');

/** The article's sections, in its order. */
const GROUPS: { id: RequirementGroup; title: string }[] = [
  { id: 'preconditions', title: 'Preconditions' },
  { id: 'private-access', title: 'Private Access' },
  { id: 'add-tenant', title: 'Add Tenant' },
  { id: 'sign-in', title: 'Sign-in' },
  { id: 'switching', title: 'Switching tenants' },
];

const TARGET_FILES = ['cucumber.html', 'junit.xml', 'messages.ndjson'];

/** Text for an HTML page: control characters made visible (visible.ts), markup characters escaped. */
export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A relative link to a file in the report folder, each path segment percent-encoded. */
function href(file: string): string {
  return escapeHtml(file.split('/').map(encodeURIComponent).join('/'));
}

interface Row {
  id: string;
  title: string;
  level: string;
  requirement: Requirement | undefined;
  cells: (RequirementResult | undefined)[];
}

export interface PageInput {
  report: ConformanceReport;
  catalog: readonly Requirement[];
  /** Evidence per target folder (findEvidence); none when absent. */
  evidence?: ReadonlyMap<string, TargetEvidence>;
}

export function renderConformancePage({ report, catalog, evidence = new Map() }: PageInput): string {
  const targets = report.run.targets;
  const byId = new Map(catalog.map((requirement) => [requirement.id, requirement]));
  const rows = new Map<string, Row>();
  for (const result of report.results) {
    let row = rows.get(result.requirement);
    if (row === undefined) {
      row = {
        id: result.requirement,
        title: result.title,
        level: result.level,
        requirement: byId.get(result.requirement),
        cells: targets.map(() => undefined),
      };
      rows.set(result.requirement, row);
    }
    const column = targets.findIndex(
      (t) => t.platform === result.platform && t.clientVersion === result.clientVersion,
    );
    if (column >= 0) row.cells[column] = result;
  }
  const sections = [
    ...GROUPS.map((group) => ({
      title: group.title,
      rows: [...rows.values()].filter((row) => row.requirement?.group === group.id),
    })),
    { title: 'Other requirements', rows: [...rows.values()].filter((row) => row.requirement === undefined) },
  ].filter((section) => section.rows.length > 0);
  const ordered = sections.flatMap((section) => section.rows);
  const cellId = (row: Row, column: number) => `c${ordered.indexOf(row)}-${column}`;

  const verdict = overallVerdict(report);
  const client = report.client;
  const title = `${client.name}: ${verdict.title.toLowerCase()}`;
  const platforms = [...new Set(targets.map((t) => t.platform))];
  const counts = statusCounts(report);

  const head = `<header>
<p class="suite">${escapeHtml(report.suite.name)} · suite ${escapeHtml(report.suite.version)}</p>
<h1>${escapeHtml(client.name)}</h1>
<dl class="facts">
<div><dt>Driver</dt><dd>${escapeHtml(client.driver)}</dd></div>
<div><dt>Client versions</dt><dd>${escapeHtml(client.version)}</dd></div>
${client.defect === undefined ? '' : `<div><dt>Defect switched on</dt><dd>${escapeHtml(client.defect)}</dd></div>`}
<div><dt>Run</dt><dd><time datetime="${escapeHtml(report.run.startedAt)}">${escapeHtml(when(report.run.startedAt))}</time>, ${escapeHtml(seconds(report.run.durationMs))}</dd></div>
<div><dt>Scenarios</dt><dd>${report.summary.scenarios} on ${targets.length} target${targets.length === 1 ? '' : 's'}</dd></div>
${report.run.tags === undefined ? '' : `<div><dt>Tags</dt><dd><code>${escapeHtml(report.run.tags)}</code></dd></div>`}
</dl>
<p class="verdict exit-${report.run.exitCode}"><span class="mark" aria-hidden="true">${verdict.mark}</span> <strong>${escapeHtml(verdict.title)}</strong>: ${escapeHtml(verdict.detail)}</p>
${runErrors(report.run.errors)}
</header>`;

  const filters = `<form class="filters" aria-label="Filters">
<fieldset><legend>Status</legend>${counts
    .map(
      ([status, count]) =>
        `<label class="${statusClass(status)}${count === 0 ? ' none' : ''}"><input type="checkbox" name="status" value="${escapeHtml(status)}" checked> ${statusMark(status)} ${escapeHtml(statusLabel(status))} <b>${count}</b></label>`,
    )
    .join('')}</fieldset>
<fieldset><legend>Platform</legend>${platforms
    .map(
      (platform) =>
        `<label><input type="checkbox" name="platform" value="${escapeHtml(platform)}" checked> ${escapeHtml(platform)}</label>`,
    )
    .join('')}</fieldset>
</form>`;

  const columnHeads = targets
    .map(
      (target) =>
        `<th scope="col" data-platform="${escapeHtml(target.platform)}">${escapeHtml(target.platform)}<br>${escapeHtml(target.clientVersion)}</th>`,
    )
    .join('');
  const body = sections
    .map((section) => {
      const header = `<tr class="group"><th colspan="${targets.length + 2}" scope="rowgroup">${escapeHtml(section.title)}</th></tr>`;
      const lines = section.rows.map((row) => {
        const cells = row.cells
          .map((result, column) => {
            const target = targets[column];
            if (target === undefined) return '';
            if (result === undefined)
              return `<td class="cell" data-platform="${escapeHtml(target.platform)}"></td>`;
            return `<td class="cell ${statusClass(result.status)}" data-status="${escapeHtml(result.status)}" data-platform="${escapeHtml(target.platform)}"><a href="#${cellId(row, column)}" title="${escapeHtml(`${row.id} on ${targetLabel(target)}: ${statusLabel(result.status)}`)}"><span aria-hidden="true">${statusMark(result.status)}</span> ${escapeHtml(statusLabel(result.status))}</a></td>`;
          })
          .join('');
        return `<tr class="req"><th scope="row"><a href="#r${ordered.indexOf(row)}"><code>${escapeHtml(row.id)}</code> ${escapeHtml(row.title)}</a></th><td class="level ${row.level === 'documented' ? '' : row.level}">${escapeHtml(row.level)}</td>${cells}</tr>`;
      });
      return `<tbody>${header}${lines.join('\n')}</tbody>`;
    })
    .join('\n');
  const matrix = `<table class="matrix">
<thead><tr><th scope="col">Requirement</th><th scope="col">Level</th>${columnHeads}</tr></thead>
${body}
</table>`;

  const failing = ordered.flatMap((row) =>
    row.cells.flatMap((result, column) =>
      result !== undefined && needsAttention(result.status) ? [{ row, column, result }] : [],
    ),
  );
  const attention =
    failing.length === 0
      ? ''
      : `<section class="attention"><h2>Not conforming (${failing.length})</h2><ul>${failing
          .map(
            ({ row, column, result }) =>
              `<li class="${statusClass(result.status)}" data-status="${escapeHtml(result.status)}" data-platform="${escapeHtml(result.platform)}"><a href="#${cellId(row, column)}"><span aria-hidden="true">${statusMark(result.status)}</span> <b>${escapeHtml(statusLabel(result.status))}</b>: <code>${escapeHtml(row.id)}</code> on ${escapeHtml(targetLabel(result))}</a>${result.message === undefined ? '' : ` <span class="message">${escapeHtml(truncate(result.message, 240))}</span>`}</li>`,
          )
          .join('')}</ul></section>`;

  const details = ordered
    .map((row) => {
      const requirement = row.requirement;
      const cells = row.cells
        .map((result, column) => {
          const target = targets[column];
          if (result === undefined || target === undefined) return '';
          const files = evidence.get(targetFolder(target));
          return cellDetail(result, cellId(row, column), requirement, files);
        })
        .join('\n');
      const source =
        requirement === undefined
          ? ''
          : `<blockquote cite="${escapeHtml(requirement.source.document)}"><p>${escapeHtml(requirement.source.quote)}</p><footer>${escapeHtml(requirement.source.document)}</footer></blockquote>
<p class="behaviour">${escapeHtml(requirement.behaviour)}</p>`;
      return `<section class="requirement" id="r${ordered.indexOf(row)}">
<h3><code>${escapeHtml(row.id)}</code> ${escapeHtml(row.title)} <span class="level ${row.level === 'documented' ? '' : row.level}">${escapeHtml(row.level)}</span></h3>
${source}
${cells}
</section>`;
    })
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${head}
<main>
${filters}
${matrix}
<p class="legend">${counts.map(([status]) => `<span class="${statusClass(status)}">${statusMark(status)} ${escapeHtml(statusLabel(status))}</span>`).join(' ')} · a cell links to its scenarios, failing step, message and evidence below.</p>
${attention}
<h2>Requirements in detail</h2>
${details}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function statusClass(status: string): string {
  return isKnownStatus(status) ? `s-${status}` : 's-other';
}

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function runErrors(errors: readonly string[]): string {
  if (errors.length === 0) return '';
  return `<section class="run-errors"><h2>Run errors</h2><ul>${errors.map((e) => `<li><pre>${escapeHtml(e)}</pre></li>`).join('')}</ul></section>`;
}

function cellDetail(
  result: RequirementResult,
  id: string,
  requirement: Requirement | undefined,
  files: TargetEvidence | undefined,
): string {
  const target = { platform: result.platform, clientVersion: result.clientVersion };
  const folder = targetFolder(target);
  const why =
    result.status === 'not-applicable' && requirement !== undefined
      ? `The catalog says it applies to ${describeApplicability(requirement.appliesTo)} only.`
      : result.message;
  const scenarios = result.scenarios.map((scenario) => scenarioItem(scenario, files, why)).join('');
  const targetEvidence = files?.target ?? [];
  const links = [...TARGET_FILES.map((name) => `${folder}/${name}`), ...targetEvidence]
    .map((file) => `<a href="${href(file)}">${escapeHtml(file.slice(folder.length + 1))}</a>`)
    .join(' · ');
  return `<details class="cell-detail ${statusClass(result.status)}" id="${id}" data-status="${escapeHtml(result.status)}" data-platform="${escapeHtml(result.platform)}"${needsAttention(result.status) ? ' open' : ''}>
<summary><span aria-hidden="true">${statusMark(result.status)}</span> <b>${escapeHtml(statusLabel(result.status))}</b> on ${escapeHtml(targetLabel(target))}${result.scenarios.length > 0 ? ` · ${result.scenarios.length} scenario${result.scenarios.length === 1 ? '' : 's'}` : ''}</summary>
${why === undefined ? '' : `<pre class="message">${escapeHtml(why)}</pre>`}
${scenarios === '' ? '' : `<ul class="scenarios">${scenarios}</ul>`}
<p class="files">${links}</p>
</details>`;
}

/** `shown`: the cell's own message, not repeated under a scenario that failed with it. */
function scenarioItem(
  scenario: ScenarioResult,
  files: TargetEvidence | undefined,
  shown: string | undefined,
): string {
  const evidence = files?.scenarios.get(scenario.location) ?? [];
  const step =
    scenario.step === undefined ? '' : `<div class="step">at step <q>${escapeHtml(scenario.step)}</q></div>`;
  const message =
    scenario.message === undefined || scenario.message === shown
      ? ''
      : `<pre class="message">${escapeHtml(scenario.message)}</pre>`;
  const shots =
    evidence.length === 0
      ? ''
      : `<div class="evidence">evidence: ${evidence.map((file) => `<a href="${href(file)}">${escapeHtml(file.split('/').pop() ?? file)}</a>`).join(' · ')}</div>`;
  return `<li class="v-${escapeHtml(scenario.verdict)}"><span class="verdict-word">${escapeHtml(scenario.verdict)}</span> ${escapeHtml(scenario.name)} <code>${escapeHtml(scenario.location)}</code>${step}${message}${shots}</li>`;
}
