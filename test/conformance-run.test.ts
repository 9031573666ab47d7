/**
 * The full in-process run against the reference client: every applicable requirement conforms; the
 * same run shared out to worker processes gives the same verdicts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { applies } from '../src/catalog/applicability.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import { validateReport } from '../src/report/schema.ts';
import { DEFAULT_OPTIONS, DEFAULT_TARGETS } from '../src/runner/options.ts';
import { runConformance } from '../src/runner/run.ts';
import { runTarget, type TargetJob } from '../src/runner/target.ts';
import { releaseWorkerResources } from '../src/runner/worker-resources.ts';
import { runInWorkers } from '../src/runner/workers.ts';

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

test('--parallel 2: worker processes share out the targets and the verdicts stay the same', async () => {
  const verdicts = (report: Awaited<ReturnType<typeof runConformance>>['report']) =>
    report.results.map((r) => `${r.requirement} ${r.platform} ${r.clientVersion}: ${r.status}`);
  const serial = await runConformance({
    reportDir: await mkdtemp(path.join(tmpdir(), 'serial-')),
    defect: 'partner-login-keeps-main-on',
  });
  const reportDir = await mkdtemp(path.join(tmpdir(), 'parallel-'));
  const finished: string[] = [];
  const parallel = await runConformance({
    reportDir,
    parallel: 2,
    defect: 'partner-login-keeps-main-on',
    onProgress: (event) => {
      if (event.type === 'target-finished')
        finished.push(`${event.target.platform} ${event.target.clientVersion}`);
    },
  });
  assert.equal(parallel.report.run.exitCode, 1);
  assert.deepEqual(verdicts(parallel.report), verdicts(serial.report));
  assert.ok(verdicts(parallel.report).includes('EX-PARTNER-OFF-MAIN windows 4.7: nonconforming'));
  assert.equal(parallel.report.summary.scenarios, serial.report.summary.scenarios);
  assert.deepEqual(finished.toSorted(), ['macos 4.7', 'windows 4.5', 'windows 4.6', 'windows 4.7']);
  for (const target of DEFAULT_TARGETS) {
    const dir = path.join(reportDir, 'targets', `${target.platform}-${target.clientVersion}`);
    assert.match(await readFile(path.join(dir, 'junit.xml'), 'utf8'), /<testcase /);
  }
});

test('a worker that cannot run its target reports why, and the next target still runs', async () => {
  const reportDir = await mkdtemp(path.join(tmpdir(), 'workers-'));
  const blocked = path.join(reportDir, 'a-file');
  await writeFile(blocked, '');
  const job = (reportTo: string, clientVersion: string): TargetJob => ({
    options: {
      client: 'reference',
      reportDir: reportTo,
      parallel: 1,
      fixturesDir: DEFAULT_OPTIONS.fixturesDir,
    },
    target: { platform: 'windows', clientVersion },
    tags: '@req:PA-OPEN and @platform:windows',
    reportDir: reportTo,
    applicable: ['PA-OPEN'],
  });
  // The first target's report folder would have to go below a file.
  const jobs = [job(blocked, '4.7'), job(reportDir, '4.6')];
  const ended: { version: string; error?: string }[] = [];
  let messages = 0;
  await runInWorkers(jobs, 1, {
    onMessage: () => {
      messages += 1;
    },
    onEnd: (done, error) => ended.push({ version: done.target.clientVersion, ...(error ? { error } : {}) }),
  });
  assert.equal(ended.length, 2);
  assert.match(ended[0]?.error ?? '', /ENOTDIR/);
  assert.deepEqual(ended[1], { version: '4.6' });
  assert.ok(messages > 0);
});

test('--parallel 2: this process runs the first lane and one worker process the other', async () => {
  const reportDir = await mkdtemp(path.join(tmpdir(), 'lanes-'));
  const job = (clientVersion: string): TargetJob => ({
    options: { client: 'reference', reportDir, parallel: 2, fixturesDir: DEFAULT_OPTIONS.fixturesDir },
    target: { platform: 'windows', clientVersion },
    tags: '@req:PA-OPEN and @platform:windows',
    reportDir,
    applicable: ['PA-OPEN'],
  });
  const ranHere: string[] = [];
  const finished = new Map<string, number>();
  const ended: string[] = [];
  try {
    await runInWorkers(
      [job('4.7'), job('4.6')],
      2,
      {
        onMessage: (done, envelope) => {
          if (envelope.testCaseFinished) {
            const version = done.target.clientVersion;
            finished.set(version, (finished.get(version) ?? 0) + 1);
          }
        },
        onEnd: (done, error) => ended.push(`${done.target.clientVersion}${error ? `: ${error}` : ''}`),
      },
      async (here) => {
        ranHere.push(here.target.clientVersion);
        await runTarget(here, () => {});
      },
    );
  } finally {
    await releaseWorkerResources();
  }
  assert.deepEqual(ranHere, ['4.7'], 'the first target runs in this process');
  assert.deepEqual(ended.sort(), ['4.6', '4.7']);
  assert.ok((finished.get('4.6') ?? 0) > 0, 'the worker streamed its scenarios back');
});
