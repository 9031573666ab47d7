/**
 * --shard i/n and merge: the shards are disjoint and cover the run, and merging them gives the
 * verdicts, scenarios and Cucumber reports of one unsharded run — through the command line, in the
 * shape .github/workflows/conformance.yml and docs/scaling.md use (shards × platforms, then merge).
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { readReportFile } from '../src/report/read.ts';
import { validateReport } from '../src/report/schema.ts';
import type { ConformanceReport } from '../src/report/types.ts';
import { DEFAULT_TARGETS } from '../src/runner/options.ts';
import { inShard } from '../src/runner/selection.ts';
import { cli } from './support/cli.ts';
import { run, verdicts } from './support/runs.ts';

const DEFECT = 'partner-login-keeps-main-on';
const tempDir = (prefix: string) => mkdtemp(path.join(tmpdir(), prefix));

/** Every (target, scenario) a report ran. */
function ranScenarios(report: ConformanceReport): Set<string> {
  return new Set(
    report.results.flatMap((r) => r.scenarios.map((s) => `${r.platform} ${r.clientVersion} ${s.location}`)),
  );
}

/** Per requirement × target: status and scenarios, with their verdicts and messages. */
function cells(report: ConformanceReport): string[] {
  return report.results.map((r) =>
    JSON.stringify([r.requirement, r.platform, r.clientVersion, r.status, r.scenarios, r.message ?? '']),
  );
}

async function shardRun(flags: string[]): Promise<{ dir: string; report: ConformanceReport }> {
  const dir = await tempDir('shard-');
  const { code, stderr } = await cli(['run', ...flags, '--defect', DEFECT, '--report-dir', dir]);
  assert.equal(code, 1, stderr);
  return { dir, report: (await readReportFile(path.join(dir, 'conformance.json'))).report };
}

test('inShard deals items round robin', () => {
  const items = [0, 1, 2, 3, 4, 5, 6];
  assert.deepEqual(inShard(items, { index: 1, count: 3 }), [0, 3, 6]);
  assert.deepEqual(inShard(items, { index: 3, count: 3 }), [2, 5]);
  assert.deepEqual(inShard(items, { index: 1, count: 1 }), items);
});

describe('--shard 1/3, 2/3, 3/3 then merge', () => {
  let unsharded: ConformanceReport;
  let shards: { dir: string; report: ConformanceReport }[];
  before(async () => {
    unsharded = (await run({ defect: DEFECT })).report;
    shards = [];
    for (const shard of ['1/3', '2/3', '3/3']) shards.push(await shardRun(['--shard', shard]));
  });

  test('the shards are disjoint, cover the run, and differ in size by one scenario at most', () => {
    const all = ranScenarios(unsharded);
    const seen = new Set<string>();
    for (const { report } of shards) {
      for (const scenario of ranScenarios(report)) {
        assert.ok(!seen.has(scenario), `${scenario} ran in two shards`);
        seen.add(scenario);
      }
    }
    assert.deepEqual([...seen].toSorted(), [...all].toSorted());
    const sizes = shards.map(({ report }) => report.summary.scenarios);
    assert.equal(
      sizes.reduce((a, b) => a + b),
      unsharded.summary.scenarios,
    );
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
    assert.deepEqual(
      shards.map(({ report }) => report.run.shard),
      [1, 2, 3].map((index) => ({ index, count: 3 })),
    );
    // Each shard alone is not the whole picture: what it did not run is not-covered.
    assert.ok(shards.every(({ report }) => report.summary['not-covered'] > 0));
  });

  test('merge gives the unsharded run: verdicts, scenarios, exit code and the Cucumber reports', async () => {
    const out = await tempDir('merged-');
    const { code, stdout, stderr } = await cli([
      'merge',
      ...shards.map(({ dir }) => dir),
      '--report-dir',
      out,
    ]);
    assert.equal(code, 1, stderr);
    assert.match(stdout, /EX-PARTNER-OFF-MAIN on windows 4\.7: actual:/);
    const merged = (await readReportFile(path.join(out, 'conformance.json'))).report;
    assert.deepEqual(verdicts(merged), verdicts(unsharded));
    assert.deepEqual(cells(merged), cells(unsharded));
    assert.deepEqual(merged.summary, unsharded.summary);
    assert.deepEqual(merged.run.targets, unsharded.run.targets);
    assert.deepEqual(merged.run.errors, []);
    assert.equal(merged.run.exitCode, 1);
    assert.equal(merged.run.shard, undefined);
    assert.deepEqual(validateReport(merged), []);

    for (const target of DEFAULT_TARGETS) {
      const dir = path.join(out, 'targets', `${target.platform}-${target.clientVersion}`);
      const messages = (await readFile(path.join(dir, 'messages.ndjson'), 'utf8')).trim().split('\n');
      const count = (kind: string) => messages.filter((line) => line.startsWith(`{"${kind}"`)).length;
      assert.equal(count('testRunStarted'), 1);
      assert.equal(count('testRunFinished'), 1);
      const scenarios = merged.results
        .filter((r) => r.platform === target.platform && r.clientVersion === target.clientVersion)
        .flatMap((r) => r.scenarios.map((s) => s.location));
      assert.equal(count('testCaseStarted'), new Set(scenarios).size);
      const junit = await readFile(path.join(dir, 'junit.xml'), 'utf8');
      assert.equal(junit.match(/<testcase /g)?.length, new Set(scenarios).size);
      const html = await readFile(path.join(dir, 'cucumber.html'), 'utf8');
      assert.ok(html.includes('testRunFinished') && html.length > 10_000);
    }
  });

  test('merge refuses a missing shard, a shard given twice, another client, and a folder without a report', async () => {
    const [one, two] = shards.map(({ dir }) => dir);
    assert.ok(one !== undefined && two !== undefined);
    const out = await tempDir('refused-');
    const missing = await cli(['merge', one, two, '--report-dir', out]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^connector-conformance: merge: shard 3\/3 of the run on windows 4\.7, windows 4\.6, windows 4\.5, macos 4\.7 is missing\n$/,
    );
    const twice = await cli(['merge', ...shards.map(({ dir }) => dir), one, '--report-dir', out]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /are both shard 1\/3 of the run on/);
    const clean = await tempDir('clean-shard-');
    assert.equal((await cli(['run', '--shard', '3/3', '--report-dir', clean])).code, 0);
    const other = await cli(['merge', one, two, clean, '--report-dir', out]);
    assert.equal(other.code, 2);
    assert.match(
      other.stderr,
      /clean-shard-\w+\/conformance\.json: another client \(.*, no defect\) than .*'s \(.*, --defect partner-login-keeps-main-on\)\n$/,
    );
    const nothing = await cli(['merge', out, '--report-dir', await tempDir('refused-')]);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /conformance\.json: cannot read the report \(no such file\)\n$/);
    const damaged = await tempDir('damaged-shard-');
    await cp(one, damaged, { recursive: true });
    const messages = path.join(damaged, 'targets', 'windows-4.7', 'messages.ndjson');
    await writeFile(messages, `null\n${await readFile(messages, 'utf8')}`);
    const broken = await cli(['merge', damaged, two, shards[2]?.dir ?? '', '--report-dir', out]);
    assert.equal(broken.code, 2);
    assert.match(
      broken.stderr,
      /^connector-conformance: .*windows-4\.7\/messages\.ndjson: line 1 is not a Cucumber message \(a JSON object\)\n$/,
    );
  });
});

test('the CI shape: --platform P --shard i/2 for each platform, then merge, is the unsharded run', async () => {
  const unsharded = (await run({ defect: DEFECT })).report;
  const dirs: string[] = [];
  for (const platform of ['windows', 'macos']) {
    for (const shard of ['1/2', '2/2']) {
      const dir = await tempDir('ci-');
      dirs.push(dir);
      const { code, stderr } = await cli([
        'run',
        '--platform',
        platform,
        '--shard',
        shard,
        '--defect',
        DEFECT,
        '--report-dir',
        dir,
      ]);
      assert.ok(code === 0 || code === 1, stderr);
    }
  }
  const out = await tempDir('ci-merged-');
  const merged = await cli(['merge', ...dirs, '--report-dir', out]);
  assert.equal(merged.code, 1, merged.stderr);
  const report = (await readReportFile(path.join(out, 'conformance.json'))).report;
  assert.deepEqual(cells(report), cells(unsharded));
  assert.equal(report.summary.scenarios, unsharded.summary.scenarios);
});

test('--shard out of range: exit 2, one line naming the flag, and a report', async () => {
  const dir = await tempDir('bad-shard-');
  const { code, stderr } = await cli(['run', '--shard', '4/3', '--report-dir', dir]);
  assert.equal(code, 2);
  assert.match(
    stderr.split('\n')[0] ?? '',
    /^connector-conformance: --shard: expected i\/n with 1 ≤ i ≤ n, e\.g\. 2\/3 \(got "4\/3"\)$/,
  );
  const report = (await readReportFile(path.join(dir, 'conformance.json'))).report;
  assert.equal(report.run.exitCode, 2);
});
