/** The full in-process run against the reference client: every applicable requirement conforms. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { applies } from '../src/catalog/applicability.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import { validateReport } from '../src/report/schema.ts';
import { DEFAULT_OPTIONS, DEFAULT_TARGETS } from '../src/runner/options.ts';
import { runConformance } from '../src/runner/run.ts';

test('the full run against the reference client conforms on every target', async () => {
  const reportDir = await mkdtemp(path.join(tmpdir(), 'conformance-'));
  const { report, reportFile } = await runConformance({ reportDir });
  const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);

  assert.equal(report.run.exitCode, 0, JSON.stringify(report.run.errors));
  assert.deepEqual(report.run.targets, DEFAULT_TARGETS);
  assert.ok(report.summary.scenarios >= 30, `${report.summary.scenarios} scenarios ran`);
  assert.equal(report.results.length, catalog.length * DEFAULT_TARGETS.length);
  for (const requirement of catalog) {
    for (const target of DEFAULT_TARGETS) {
      const result = report.results.find(
        (r) =>
          r.requirement === requirement.id &&
          r.platform === target.platform &&
          r.clientVersion === target.clientVersion,
      );
      assert.ok(result, `${requirement.id} is missing on ${target.platform} ${target.clientVersion}`);
      const expected = applies(requirement, target) ? 'conforms' : 'not-applicable';
      assert.equal(
        result.status,
        expected,
        `${requirement.id} on ${target.platform} ${target.clientVersion}: ${result.message}`,
      );
      if (expected === 'conforms') assert.ok(result.scenarios.some((s) => s.verdict === 'passed'));
    }
  }
  assert.deepEqual(validateReport(report), []);
  assert.deepEqual(JSON.parse(await readFile(reportFile, 'utf8')), report);

  for (const target of DEFAULT_TARGETS) {
    const dir = path.join(reportDir, 'targets', `${target.platform}-${target.clientVersion}`);
    const messages = (await readFile(path.join(dir, 'messages.ndjson'), 'utf8')).trim().split('\n');
    assert.ok(messages.some((line) => line.includes('"testRunFinished"')));
    assert.match(await readFile(path.join(dir, 'junit.xml'), 'utf8'), /<testcase /);
    assert.ok((await stat(path.join(dir, 'cucumber.html'))).size > 10_000);
  }
});
