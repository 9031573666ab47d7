/**
 * Screenshots of the conformance page (reports/index.html) for the README: a clean run and a run with
 * a defect, each in process, opened from file:// in the project's own Chromium. Regenerate with
 * `node scripts/node24.mjs scripts/screenshot-report.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../src/browser/chromium.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import { PAGE_FILE_NAME } from '../src/report/layout.ts';
import { runConformance } from '../src/runner/run.ts';

const SHOTS = [
  { file: 'docs/conformance-page-clean.png', defect: undefined },
  { file: 'docs/conformance-page-defect.png', defect: 'partner-domain-not-enforced' },
];

const browser = await launchChromium();
const scratch = await mkdtemp(path.join(tmpdir(), 'conformance-page-'));
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const shot of SHOTS) {
    const reportDir = path.join(scratch, shot.defect ?? 'clean');
    await runConformance({ reportDir, ...(shot.defect ? { defect: shot.defect } : {}) });
    await page.goto(pathToFileURL(path.join(reportDir, PAGE_FILE_NAME)).href);
    // The header, the filters, the matrix and what did not conform: what a person reads at a glance.
    const end = await page.locator('p.legend, section.attention').last().boundingBox();
    if (end === null) throw new Error('the page has no legend under its matrix');
    const height = Math.ceil(end.y + end.height + 16);
    await page.screenshot({
      path: path.join(PACKAGE_ROOT, shot.file),
      clip: { x: 0, y: 0, width: 1280, height },
      fullPage: true,
    });
    process.stdout.write(`${shot.file} (${height} px high)\n`);
  }
} finally {
  await browser.close();
  await rm(scratch, { recursive: true, force: true });
}
