import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCatalog } from '../catalog/load.ts';
import type { Requirement } from '../catalog/types.ts';
import { PACKAGE_ROOT } from '../package-layout.ts';
import { MARKDOWN_FILE_NAME, PAGE_FILE_NAME } from './layout.ts';
import { renderMarkdownSummary } from './markdown.ts';
import { findEvidence } from './page/evidence-links.ts';
import { renderConformancePage } from './page/html.ts';
import type { ConformanceReport } from './types.ts';

export const REPORT_FILE_NAME = 'conformance.json';

const PROJECT_CATALOG = join(PACKAGE_ROOT, 'features', 'requirements.yaml');

/**
 * Writes the run's reports into `dir`, creating it: `conformance.json` (pretty-printed, trailing
 * newline), the conformance page `index.html` (from the report, the catalog, and the evidence under
 * `targets/`) and `summary.md`. Returns the path of conformance.json. Without `catalog`, the
 * project's own is read.
 */
export async function writeReport(
  dir: string,
  report: ConformanceReport,
  catalog?: readonly Requirement[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, REPORT_FILE_NAME);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  const requirements = catalog ?? (await loadCatalog(PROJECT_CATALOG).catch(() => []));
  const evidence = await findEvidence(dir, report.run.targets);
  await writeFile(
    join(dir, PAGE_FILE_NAME),
    renderConformancePage({ report, catalog: requirements, evidence }),
  );
  await writeFile(join(dir, MARKDOWN_FILE_NAME), renderMarkdownSummary(report));
  return path;
}
