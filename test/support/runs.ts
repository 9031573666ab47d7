/** Runs of the suite compared with the in-process run, for the tests of other drivers. */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DefectInfo } from '../../client/index.ts';
import { applies } from '../../src/catalog/applicability.ts';
import { loadCatalog } from '../../src/catalog/load.ts';
import type { Target } from '../../src/catalog/types.ts';
import type { ConformanceReport } from '../../src/report/types.ts';
import { DEFAULT_OPTIONS, DEFAULT_TARGETS } from '../../src/runner/options.ts';
import { type RunOutcome, runConformance } from '../../src/runner/run.ts';

const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);

/** One line per requirement × target (of `target` only, when given): its status. */
export function verdicts(report: ConformanceReport, target?: Target): string[] {
  return report.results
    .filter(
      (r) =>
        target === undefined || (r.platform === target.platform && r.clientVersion === target.clientVersion),
    )
    .map((r) => `${r.requirement} ${r.platform} ${r.clientVersion}: ${r.status}`);
}

/** A run reporting into a fresh temporary folder. */
export async function run(options: Parameters<typeof runConformance>[0]): Promise<RunOutcome> {
  return runConformance({ reportDir: await mkdtemp(path.join(tmpdir(), 'run-')), ...options });
}

/** Where a defect shows: the targets its requirement applies to, and a tag expression of its scenarios. */
export function defectScope(defect: DefectInfo): { targets: Target[]; tags: string } {
  const requirement = catalog.find((r) => r.id === defect.requirement);
  assert.ok(requirement, defect.requirement);
  return {
    targets: DEFAULT_TARGETS.filter((target) => applies(requirement, target)),
    tags: (defect.shownIn ?? [defect.requirement]).map((id) => `@req:${id}`).join(' or '),
  };
}

/**
 * A defect shows on its requirement's scenarios, on the targets where that requirement applies: runs
 * those in process and with `options` (another driver), and returns both.
 */
export async function defectRuns(
  defect: DefectInfo,
  options: Parameters<typeof runConformance>[0],
): Promise<{ inProcess: RunOutcome; other: RunOutcome }> {
  const { targets, tags } = defectScope(defect);
  const inProcess = await run({ defect: defect.name, targets, tags });
  const other = await run({ ...options, defect: defect.name, targets, tags });
  return { inProcess, other };
}
