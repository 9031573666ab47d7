import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../src/browser/chromium.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import type { Requirement } from '../src/catalog/types.ts';
import { errorReport } from '../src/report/build.ts';
import { MARKDOWN_FILE_NAME, PAGE_FILE_NAME } from '../src/report/layout.ts';
import { renderMarkdownSummary } from '../src/report/markdown.ts';
import { scenarioEvidence } from '../src/report/page/evidence-links.ts';
import { renderConformancePage } from '../src/report/page/html.ts';
import type { ConformanceReport, RequirementStatus } from '../src/report/types.ts';
import { DEFAULT_OPTIONS } from '../src/runner/options.ts';
import type { RunOutcome } from '../src/runner/run.ts';
import { run } from './support/runs.ts';

const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);
const HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> | **bold** `tick` [link](http://x)';

/** A one-target report whose first result says what a hostile client wrote, in a status of `status`. */
function hostileReport(status: string): ConformanceReport {
  const report = errorReport({
    suite: { name: 'suite', version: '1.0.0' },
    client: { name: `client ${HOSTILE}`, driver: 'reference', version: '4.7' },
    catalog,
    targets: [{ platform: 'windows', clientVersion: '4.7' }],
    startedAt: new Date('2026-01-01T00:00:00Z'),
    finishedAt: new Date('2026-01-01T00:00:01Z'),
    message: HOSTILE,
  });
  const first = report.results[0];
  assert.ok(first);
  // Statuses added by other parts of the harness reach this code as strings it does not know.
  first.status = status as RequirementStatus;
  first.scenarios = [
    { name: HOSTILE, location: 'features/x.feature:3', verdict: 'failed', step: HOSTILE, message: 'other' },
  ];
  return report;
}

describe('the conformance page and the Markdown summary of real runs', () => {
  let clean: RunOutcome;
  let defect: RunOutcome;
  before(async () => {
    clean = await run({});
    defect = await run({ defect: 'partner-domain-not-enforced' });
  });

  const files = async (outcome: RunOutcome) => {
    const dir = path.dirname(outcome.reportFile);
    return {
      page: await readFile(path.join(dir, PAGE_FILE_NAME), 'utf8'),
      summary: await readFile(path.join(dir, MARKDOWN_FILE_NAME), 'utf8'),
    };
  };

  it('a clean run writes both, with every requirement in every group and the verdict', async () => {
    assert.equal(clean.report.run.exitCode, 0);
    const { page, summary } = await files(clean);
    for (const requirement of catalog) {
      assert.ok(page.includes(`<code>${requirement.id}</code>`), requirement.id);
      assert.ok(summary.includes(`| ${requirement.id} |`), requirement.id);
    }
    for (const group of ['Preconditions', 'Private Access', 'Add Tenant', 'Sign-in', 'Switching tenants']) {
      assert.ok(page.includes(`scope="rowgroup">${group}</th>`), group);
    }
    assert.equal(page.match(/<td class="cell s-conforms"/g)?.length, clean.report.summary.conforms);
    assert.ok(page.includes('<strong>Conforms</strong>'));
    assert.ok(page.includes('documented') && page.includes('inferred'));
    assert.ok(page.includes('Before you can add a partner tenant, your organization and the partner'));
    assert.doesNotMatch(page, /<(link|img|iframe)\b|src="http/);
    assert.match(summary, /^## ✓ .*: conforms\n/);
    assert.ok(summary.includes('| Requirement | windows 4.7 | windows 4.6 | windows 4.5 | macos 4.7 |'));
    assert.ok(!summary.includes('### Not conforming'));
  });

  it('a defect run shows the failing cells with their messages, and says it does not conform', async () => {
    assert.equal(defect.report.run.exitCode, 1);
    const failing = defect.report.results.filter((r) => r.status === 'nonconforming');
    assert.deepEqual(
      failing.map((r) => `${r.requirement} ${r.platform} ${r.clientVersion}`),
      ['PRE-DOMAIN windows 4.7', 'PRE-DOMAIN windows 4.6'],
    );
    // The RETRY scenario with a corrected username cannot get past the first Submit: blocked (declared).
    const blocked = defect.report.results.filter((r) => r.status === 'blocked');
    assert.deepEqual(
      blocked.map((r) => `${r.requirement} ${r.platform} ${r.clientVersion}`),
      ['RETRY windows 4.7', 'RETRY windows 4.6'],
    );
    const { page, summary } = await files(defect);
    assert.ok(page.includes('<strong>Does not conform</strong>'));
    assert.equal(page.match(/<td class="cell s-nonconforming"/g)?.length, 2);
    assert.ok(page.includes('Not conforming (4)'));
    const message = failing[0]?.message ?? '';
    assert.ok(page.includes(message.replaceAll('&', '&#38;')), 'the full message, escaped');
    assert.ok(page.includes('partner-domain-not-enforced'));
    assert.match(summary, /^## ✗ .*: does not conform\n/);
    assert.match(summary, /\| PRE-DOMAIN \| ✗ \| ✗ \| – \| – \|/);
    assert.ok(summary.includes('### Not conforming (4)'));
    assert.ok(summary.includes('- ✗ **PRE-DOMAIN on windows 4.7** (nonconforming'));
    assert.ok(summary.includes(message.slice(0, 40).replaceAll('_', '\\_')), 'the message, cut short');
  });

  it('the page filters by status and platform, and a cell link opens its details', async () => {
    const browser = await launchChromium();
    after(() => browser.close());
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(path.join(path.dirname(defect.reportFile), PAGE_FILE_NAME)).href);
    assert.equal(await page.locator('tr.req:visible').count(), catalog.length);
    await page.getByRole('checkbox', { name: /^✓ conforms/ }).uncheck();
    await page.getByRole('checkbox', { name: /^– not applicable/ }).uncheck();
    assert.deepEqual(await page.locator('tr.req:visible th code').allTextContents(), ['PRE-DOMAIN', 'RETRY']);
    assert.equal(await page.locator('tr.group:visible').count(), 2);
    await page.getByRole('checkbox', { name: 'windows' }).uncheck();
    assert.equal(await page.locator('tr.req:visible').count(), 0);
    assert.deepEqual(await page.locator('thead th[data-platform]:visible').allTextContents(), ['macos4.7']);
    await page.getByRole('checkbox', { name: 'windows' }).check();
    await page.getByRole('checkbox', { name: /^✓ conforms/ }).check();
    const conforming = page.locator('td.cell.s-conforms a').first();
    const target = await conforming.getAttribute('href');
    assert.ok(target);
    assert.equal(await page.locator(`details${target}`).getAttribute('open'), null);
    await conforming.click();
    await page.waitForSelector(`details${target}[open]`, { timeout: 5000 });
    assert.deepEqual(errors, []);
  });
});

describe('untrusted text', () => {
  it('the page escapes what the report says, and gives an unknown status its name and a neutral style', () => {
    const page = renderConformancePage({ report: hostileReport('quarantined'), catalog });
    assert.equal(page.match(/<script>/g)?.length, 1, 'only the page its own script');
    assert.ok(!page.includes('<img'));
    assert.ok(
      page.includes(
        '&#60;script&#62;alert(1)&#60;/script&#62;&#60;img src=x onerror=&#34;alert(2)&#34;&#62;',
      ),
    );
    assert.match(
      page,
      /<td class="cell s-other" data-status="quarantined"[^>]*><a [^>]*><span aria-hidden="true">•<\/span> quarantined<\/a>/,
    );
    assert.ok(page.includes('value="quarantined" checked> • quarantined <b>1</b>'));
  });

  it('the summary escapes Markdown and HTML, and keeps the table whole', () => {
    const summary = renderMarkdownSummary(hostileReport('quarantined'));
    assert.ok(!summary.includes('<script>') && !summary.includes('<img'));
    assert.ok(summary.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(summary.includes('\\| \\*\\*bold\\*\\* \\`tick\\` \\[link\\](http://x)'));
    const table = summary.split('\n').filter((line) => line.startsWith('| '));
    for (const line of table) assert.equal(line.match(/(?<!\\)\|/g)?.length, 3, line);
    assert.ok(table.includes(`| ${catalog[0]?.id} | • quarantined |`));
    assert.ok(summary.includes('Legend: ') && summary.includes('• quarantined'));
  });

  it('the summary cuts long messages and long lists', () => {
    const report = hostileReport('error');
    report.results = [...report.results, ...report.results, ...report.results];
    for (const result of report.results) result.message = 'x'.repeat(1000);
    const summary = renderMarkdownSummary(report);
    assert.ok(summary.includes(`${'x'.repeat(299)}…`) && !summary.includes('x'.repeat(300)));
    assert.ok(
      summary.includes(`- … and ${report.results.length - 40} more: see conformance.json or index.html`),
    );
  });

  it('evidence links come from the messages and stay inside the evidence folder', () => {
    const lines = [
      { pickle: { id: 'p1', uri: 'features/a.feature', location: { line: 7, column: 3 } } },
      { testCase: { id: 't1', pickleId: 'p1' } },
      { testCaseStarted: { id: 's1', testCaseId: 't1' } },
      {
        attachment: {
          testCaseStartedId: 's1',
          mediaType: 'text/uri-list',
          contentEncoding: 'IDENTITY',
          body: 'evidence/a-p1/01-step.png',
        },
      },
      {
        attachment: {
          testCaseStartedId: 's1',
          mediaType: 'text/uri-list',
          contentEncoding: 'IDENTITY',
          body: 'evidence/../../../etc/passwd\n/etc/passwd\nevidence/a-p1/trace.zip',
        },
      },
    ];
    const ndjson = `${lines.map((line) => JSON.stringify(line)).join('\n')}\nnot json\n`;
    assert.deepEqual(
      [...scenarioEvidence(ndjson)],
      [['features/a.feature:7', ['evidence/a-p1/01-step.png', 'evidence/a-p1/trace.zip']]],
    );
  });

  it('a page without the catalog still shows every result, under "Other requirements"', () => {
    const noCatalog: Requirement[] = [];
    const page = renderConformancePage({ report: hostileReport('conforms'), catalog: noCatalog });
    assert.ok(page.includes('scope="rowgroup">Other requirements</th>'));
    assert.equal(page.match(/<tr class="req">/g)?.length, catalog.length);
  });
});
