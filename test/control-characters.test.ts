/**
 * Control characters from outside the harness (a client's texts, fixture names, run errors) come out
 * escaped in the terminal, summary.md and the pages: no text can recolour, move the cursor over,
 * retitle or ring the terminal of the person reading the verdict.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadCatalog } from '../src/catalog/load.ts';
import type { Requirement } from '../src/catalog/types.ts';
import { errorReport } from '../src/report/build.ts';
import { renderHistory } from '../src/report/history.ts';
import { renderMarkdownSummary } from '../src/report/markdown.ts';
import { renderConformancePage } from '../src/report/page/html.ts';
import { renderSummaryTable } from '../src/report/summary.ts';
import type { ConformanceReport } from '../src/report/types.ts';
import { visible } from '../src/report/visible.ts';
import { DEFAULT_OPTIONS } from '../src/runner/options.ts';
import { brokenFixtures, cli, tempDir } from './support/cli.ts';

/** An OSC window title, an erase-line and carriage return, a BEL and a C1 CSI. */
const HOSTILE = 'shown\u001b]0;pwned\u0007 \u001b[2K\rfake ok \u009b31m\u0000end';
const ESCAPED = 'shown\\x1B]0;pwned\\x07 \\x1B[2K\\x0Dfake ok \\x9B31m\\x00end';
/** Any C0 control but tab and newline, DEL, any C1 control. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** The only sequences the harness writes itself: colours (SGR). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
const OWN_COLOURS = /\u001b\[[\d;]*m/g;

function hostileReport(catalog: readonly Requirement[]): ConformanceReport {
  const now = new Date('2026-12-02T00:00:00Z');
  const report = errorReport({
    suite: { name: 'suite', version: '0.2.0' },
    client: { name: `client ${HOSTILE}`, driver: 'remote', version: '4.7' },
    catalog: [...catalog],
    targets: [{ platform: 'windows', clientVersion: '4.7' }],
    startedAt: now,
    finishedAt: now,
    message: HOSTILE,
  });
  const [first] = report.results;
  if (first) first.title = `title ${HOSTILE}`;
  return report;
}

describe('control characters', () => {
  test('visible escapes C0 (but tab and newline), DEL and C1, and leaves other text alone', () => {
    assert.equal(visible(HOSTILE), ESCAPED);
    assert.equal(visible('tab\there\nnext line · ✓ é'), 'tab\there\nnext line · ✓ é');
    assert.equal(visible('\u007f\u0085'), '\\x7F\\x85');
  });

  test('the terminal table, summary.md, the page and the history page show them escaped', async () => {
    const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);
    const report = hostileReport(catalog);
    const plain = renderSummaryTable(report, { color: false, width: 400 });
    const coloured = renderSummaryTable(report, { color: true, width: 400 });
    const markdown = renderMarkdownSummary(report);
    const page = renderConformancePage({ report, catalog });
    const history = renderHistory([{ source: 'a/conformance.json', report }], catalog);
    for (const [where, text] of Object.entries({ plain, coloured, markdown, page, history })) {
      assert.doesNotMatch(text.replace(OWN_COLOURS, ''), CONTROL, where);
    }
    assert.ok(plain.includes(ESCAPED), plain);
    assert.ok(coloured.includes(ESCAPED));
    assert.ok(markdown.includes('shown\\\\x1B\\]0;pwned\\\\x07'), markdown);
    assert.ok(page.includes('shown\\x1B]0;pwned\\x07'));
  });

  test('a fixtures folder whose name carries an escape sequence: the one-line error shows it escaped', async () => {
    const fixtures = await brokenFixtures('cli-control-\u001b]0;pwned\u0007-');
    const reportDir = await tempDir('cli-control-report-');
    const { code, stdout, stderr } = await cli(['run', '--fixtures', fixtures, '--report-dir', reportDir]);
    assert.equal(code, 2);
    assert.doesNotMatch(stdout + stderr, CONTROL);
    assert.match(
      stderr.split('\n')[0] ?? '',
      /cli-control-\\x1B\]0;pwned\\x07-\w+\/organisations\/globex\.yaml: /,
    );
    for (const file of ['summary.md', 'index.html']) {
      const text = await readFile(path.join(reportDir, file), 'utf8');
      assert.doesNotMatch(text, CONTROL, file);
      assert.match(text, /cli-control-\\+x1B/, file);
    }
  });
});
