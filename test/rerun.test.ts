/**
 * --rerun-failed OLD.json: only the scenarios that did not pass in OLD run again, on OLD's targets;
 * the report covers what ran again, and the cells it did not run are not-covered, saying why.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { validateReport } from '../src/report/schema.ts';
import type { ConformanceReport } from '../src/report/types.ts';
import type { RunOutcome } from '../src/runner/run.ts';
import { cli } from './support/cli.ts';
import { run } from './support/runs.ts';

const DEFECT = 'partner-login-keeps-main-on';

/** "windows 4.7 features/x.feature:12" for every scenario of `report` with one of `verdicts`. */
function scenarios(report: ConformanceReport, verdicts: readonly string[]): string[] {
  const found = report.results.flatMap((r) =>
    r.scenarios
      .filter((s) => verdicts.includes(s.verdict))
      .map((s) => `${r.platform} ${r.clientVersion} ${s.location}`),
  );
  return [...new Set(found)].toSorted();
}

describe('--rerun-failed', () => {
  let old: RunOutcome;
  before(async () => {
    old = await run({ defect: DEFECT });
  });

  test('runs again only the scenarios that did not pass, with the same verdicts while the defect stays', async () => {
    const failing = scenarios(old.report, ['failed', 'blocked', 'error']);
    assert.ok(failing.length > 0 && failing.length < old.report.summary.scenarios);
    const { report } = await run({ defect: DEFECT, rerunFailed: old.reportFile });
    assert.deepEqual(scenarios(report, ['passed', 'failed', 'blocked', 'error']), failing);
    assert.equal(report.summary.scenarios, failing.length);
    assert.equal(report.run.exitCode, 1);
    assert.equal(report.run.rerunOf, old.reportFile);
    assert.deepEqual(report.run.targets, old.report.run.targets);
    for (const result of report.results) {
      const before = old.report.results.find(
        (r) =>
          r.requirement === result.requirement &&
          r.platform === result.platform &&
          r.clientVersion === result.clientVersion,
      );
      if (before?.status === 'nonconforming') assert.equal(result.status, 'nonconforming');
      if (result.status === 'not-covered')
        assert.match(result.message ?? '', /^not run again: no scenario of /);
    }
    assert.deepEqual(validateReport(report), []);
  });

  test('with the client fixed, the scenarios that failed now pass: exit 0', async () => {
    const { report } = await run({ rerunFailed: old.reportFile });
    assert.equal(report.run.exitCode, 0, JSON.stringify(report.run.errors));
    const fixed = report.results.filter((r) => r.requirement === 'EX-PARTNER-OFF-MAIN');
    assert.ok(fixed.length > 0);
    for (const result of fixed) assert.equal(result.status, 'conforms', result.message);
  });
});

test('--rerun-failed with a file that is not a report: exit 2, one line naming it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'rerun-'));
  const missing = path.join(dir, 'nope.json');
  const { code, stderr } = await cli(['run', '--rerun-failed', missing, '--report-dir', dir]);
  assert.equal(code, 2);
  assert.match(
    stderr.split('\n')[0] ?? '',
    /^connector-conformance: .*nope\.json: cannot read the report \(no such file\)$/,
  );
});
