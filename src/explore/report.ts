/**
 * What explore leaves: explore.json (the result), explore.html (a page for a person: the sequences
 * tried, the invariants checked, the violation and its reproducer) and found/<requirement>-<seed>.feature,
 * in a report folder written as a run's is (src/report/folder.ts): never mixed with an earlier one's.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReportFolder } from '../report/folder.ts';
import { escapeHtml } from '../report/page/html.ts';
import type { ExploreOptions, ExploreResult } from './explore.ts';
import { INVARIANTS } from './model.ts';
import { reproducer, reproducerName } from './reproducer.ts';

export const EXPLORE_FILE = 'explore.json';
export const EXPLORE_PAGE = 'explore.html';
export const FOUND_DIR = 'found';

export interface ExploreReportFiles {
  json: string;
  page: string;
  /** The reproducer, when a violation was found. */
  reproducer?: string;
}

/** Writes the files into `folder` (opened before exploring, so a bad --report-dir costs nothing) and commits it. */
export async function writeExploreReport(
  folder: ReportFolder,
  result: ExploreResult,
  options: Pick<ExploreOptions, 'client' | 'defect' | 'target'>,
): Promise<ExploreReportFiles> {
  const { finding } = result;
  const name = finding ? reproducerName(finding, result.seed) : undefined;
  const feature =
    finding &&
    reproducer(finding, {
      target: options.target,
      seed: result.seed,
      client: options.client,
      ...(options.defect ? { defect: options.defect } : {}),
    });
  try {
    const json = {
      client: options.client,
      ...(options.defect ? { defect: options.defect } : {}),
      target: options.target,
      ...result,
      invariants: INVARIANTS,
      ...(name ? { reproducer: `${FOUND_DIR}/${name}` } : {}),
    };
    await writeFile(path.join(folder.staging, EXPLORE_FILE), `${JSON.stringify(json, null, 2)}\n`);
    await writeFile(path.join(folder.staging, EXPLORE_PAGE), page(result, options, name, feature));
    if (name && feature) {
      await mkdir(path.join(folder.staging, FOUND_DIR), { recursive: true });
      await writeFile(path.join(folder.staging, FOUND_DIR, name), feature);
    }
  } catch (error) {
    await folder.discard();
    throw error;
  }
  await folder.commit();
  return {
    json: path.join(folder.final, EXPLORE_FILE),
    page: path.join(folder.final, EXPLORE_PAGE),
    ...(name ? { reproducer: path.join(folder.final, FOUND_DIR, name) } : {}),
  };
}

function page(
  result: ExploreResult,
  options: Pick<ExploreOptions, 'client' | 'defect' | 'target'>,
  name: string | undefined,
  feature: string | undefined,
): string {
  const { finding } = result;
  const rows = INVARIANTS.map(
    (invariant) =>
      `<tr><td>${escapeHtml(invariant.requirement)}</td><td>${escapeHtml(invariant.rule)}</td></tr>`,
  ).join('\n');
  const verdict = finding
    ? `<h2>Violation: ${escapeHtml(finding.requirements.join(', ') || finding.status)}</h2>
<p>${escapeHtml(finding.message)}</p>
<p>After ${finding.commands.length} actions: ${escapeHtml(finding.commands.join(', '))}.</p>
<p>Reproducer <code>${FOUND_DIR}/${escapeHtml(name ?? '')}</code> (replay it with <code>connector-conformance run</code>):</p>
<pre>${escapeHtml(feature ?? '')}</pre>`
    : '<h2>No violation</h2><p>Every invariant held after every action.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Explore: ${escapeHtml(options.client)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}td{padding:.2rem .6rem;vertical-align:top}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style>
</head>
<body>
<h1>Explore: ${escapeHtml(options.client)}${options.defect ? ` (defect ${escapeHtml(options.defect)})` : ''} on ${escapeHtml(options.target.platform)} ${escapeHtml(options.target.clientVersion)}</h1>
<p>${result.sequences} sequences tried, ${result.steps} actions, in ${result.seconds.toFixed(1)} s; seed ${result.seed}. Enrolled as ${escapeHtml(result.main.username)} (${escapeHtml(result.main.organisation)}); partners: ${escapeHtml(result.partners.map((p) => p.name).join(', '))}.</p>
${verdict}
<h2>Checked after every action</h2>
<table><thead><tr><th>Requirement</th><th>Rule</th></tr></thead><tbody>
${rows}
</tbody></table>
</body>
</html>
`;
}
