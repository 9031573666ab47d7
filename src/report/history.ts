/**
 * The history page (`connector-conformance history DIR...`): each requirement (rows, grouped as the
 * catalog groups them) across a series of runs (columns, in the order given, one per target of
 * each run), each cell coloured by status. One self-contained HTML file: inline style, no script.
 */
import { groupRequirements } from '../catalog/groups.ts';
import type { Requirement } from '../catalog/types.ts';
import { escapeHtml } from './page/html.ts';
import { STATUS_SYMBOLS } from './summary.ts';
import { type ConformanceReport, REQUIREMENT_STATUSES, type RequirementResult } from './types.ts';

export interface HistoryBuild {
  /** Where the report was read from, shown on hover. */
  source: string;
  report: ConformanceReport;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
p.lead { margin: 0 0 1rem; color: #57606a; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: .25rem .45rem; }
thead th { background: #f6f8fa; font-weight: 600; vertical-align: bottom; }
thead th small { display: block; font-weight: 400; color: #57606a; }
th.req { text-align: left; font-weight: 400; max-width: 26rem; }
th.req code { font-weight: 600; }
th.req .inferred { font-size: .75rem; color: #57606a; border: 1px solid #d0d7de; border-radius: 3px; padding: 0 .2rem; margin-left: .3rem; }
tr.group th { text-align: left; background: #eaeef2; font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; }
td { text-align: center; min-width: 2.2rem; font-weight: 600; }
.run-start { border-left: 3px solid #8c959f; }
.changed { outline: 2px solid #1f2328; outline-offset: -3px; }
.s-conforms { background: #dafbe1; color: #116329; }
.s-nonconforming { background: #ffd8d3; color: #a40e26; }
.s-blocked { background: #fff1c2; color: #7d4e00; }
.s-error { background: #f0d9ff; color: #6e2b9e; }
.s-not-applicable { background: #fff; color: #8c959f; }
.s-not-covered { background: #ddf4ff; color: #0a5d8f; }
.s-expected-nonconforming { background: repeating-linear-gradient(135deg, #ffd8d3 0 4px, #fff 4px 8px); color: #a40e26; }
.s-flaky { background: #dcebf6; color: #004f7c; }
.s-other { background: #eaeef2; color: #1f2328; font-weight: 400; font-size: .8rem; }
.legend { margin: 1rem 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: .4rem 1rem; }
.legend span { display: inline-block; min-width: 1.6rem; text-align: center; border: 1px solid #d0d7de; font-weight: 600; }
`;

const KNOWN: ReadonlySet<string> = new Set(REQUIREMENT_STATUSES);

/** A status this page does not know shows in a neutral style, with its name as its text. */
function statusCell(result: RequirementResult | undefined, marks: string[]): string {
  if (result === undefined)
    return `<td class="${['s-other', ...marks].join(' ')}" title="not in this run"></td>`;
  const known = KNOWN.has(result.status);
  const symbol = known ? STATUS_SYMBOLS[result.status] : result.status;
  const hover = [result.status, result.expectation?.reason, result.message]
    .filter((part) => part !== undefined && part !== '')
    .join(' — ');
  const classes = [known ? `s-${result.status}` : 's-other', ...marks].join(' ');
  return `<td class="${classes}" title="${escapeHtml(hover)}">${escapeHtml(symbol)}</td>`;
}

function buildHeader(build: HistoryBuild): string {
  const { client, run } = build.report;
  const date = run.finishedAt.slice(0, 16).replace('T', ' ');
  const defect = client.defect === undefined ? '' : `<small>defect: ${escapeHtml(client.defect)}</small>`;
  return (
    `<th class="run-start" colspan="${Math.max(1, run.targets.length)}" title="${escapeHtml(build.source)}">` +
    `${escapeHtml(client.version)}<small>${escapeHtml(client.name)}</small>${defect}<small>${escapeHtml(date)} UTC</small></th>`
  );
}

const cellKey = (requirement: string, platform: string, version: string) =>
  `${requirement} ${platform} ${version}`;

/** The history page for `builds`, oldest first as given; rows from `catalog`, then any requirement only the reports have. */
export function renderHistory(builds: readonly HistoryBuild[], catalog: readonly Requirement[]): string {
  const cells = builds.map(
    ({ report }) =>
      new Map(report.results.map((r) => [cellKey(r.requirement, r.platform, r.clientVersion), r])),
  );
  const columns = builds.flatMap(({ report }, build) =>
    report.run.targets.map((target, index) => ({ build, target, start: index === 0 })),
  );
  const sections = groupRequirements(catalog).map((section) => ({
    label: section.label,
    rows: section.requirements.map((r) => ({ id: r.id, title: r.title, level: r.level })),
  }));
  const known = new Set(catalog.map((r) => r.id));
  const others = new Map<string, { id: string; title: string; level: RequirementResult['level'] }>();
  for (const { report } of builds) {
    for (const r of report.results) {
      if (!known.has(r.requirement))
        others.set(r.requirement, { id: r.requirement, title: r.title, level: r.level });
    }
  }
  if (others.size > 0) sections.push({ label: 'Not in the current catalog', rows: [...others.values()] });

  const body = sections.flatMap((section) => [
    `<tr class="group"><th colspan="${columns.length + 1}">${escapeHtml(section.label)}</th></tr>`,
    ...section.rows.map((row) => {
      const level = row.level === 'documented' ? '' : `<span class="inferred">${row.level}</span>`;
      const tds = columns.map(({ build, target, start }) => {
        const key = cellKey(row.id, target.platform, target.clientVersion);
        const result = cells[build]?.get(key);
        // The same target in the previous build that ran it: a changed status is outlined.
        const before = cells
          .slice(0, build)
          .reverse()
          .find((earlier) => earlier.has(key))
          ?.get(key);
        const changed = before !== undefined && result !== undefined && before.status !== result.status;
        return statusCell(result, [...(start ? ['run-start'] : []), ...(changed ? ['changed'] : [])]);
      });
      return `<tr><th class="req"><code>${escapeHtml(row.id)}</code> ${escapeHtml(row.title)}${level}</th>${tds.join('')}</tr>`;
    }),
  ]);
  const legend = REQUIREMENT_STATUSES.map(
    (status) => `<li><span class="s-${status}">${escapeHtml(STATUS_SYMBOLS[status])}</span> ${status}</li>`,
  );
  const suite = builds[0]?.report.suite;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Conformance history</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Conformance history</h1>
<p class="lead">${escapeHtml(suite ? `${suite.name} (suite ${suite.version})` : '')} · ${builds.length} run${builds.length === 1 ? '' : 's'}, oldest first. Hover a cell for its message; an outlined cell changed since the previous run of that target.</p>
<table>
<thead>
<tr><th rowspan="2">Requirement</th>${builds.map(buildHeader).join('')}</tr>
<tr>${columns.map(({ target, start }) => `<th${start ? ' class="run-start"' : ''}><small>${escapeHtml(target.platform)} ${escapeHtml(target.clientVersion)}</small></th>`).join('')}</tr>
</thead>
<tbody>
${body.join('\n')}
</tbody>
</table>
<ul class="legend">${legend.join('')}<li><span class="changed">&nbsp;</span> changed</li></ul>
</body>
</html>
`;
}
