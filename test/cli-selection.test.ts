/**
 * Selecting scenarios as cucumber-js does: `features/x.feature:LINE` (a scenario, an outline or an
 * Examples row) and `--name REGEX`, on every target where the scenario applies, composed with
 * --platform and --tags; what is not a scenario of the suite is refused in one line.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { targetLabel } from '../src/catalog/applicability.ts';
import type { ConformanceReport } from '../src/report/types.ts';
import { cli, tempDir } from './support/cli.ts';

const SWITCHING = 'features/shared/switching.feature';
/** "Turn On for the main tenant turns the partner tenant off on <platform>": the outline, then its rows. */
const OUTLINE = 28;
const WINDOWS_ROW = 39;
const MACOS_ROW = 44;
/** Where a colour sequence starts. */
const ESC = '\u001b[';

async function readReport(dir: string): Promise<ConformanceReport> {
  return JSON.parse(await readFile(path.join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
}

/** Per target ("windows 4.7"), the locations of the scenarios it ran. */
function ranPerTarget(report: ConformanceReport): Record<string, string[]> {
  const ran: Record<string, Set<string>> = {};
  for (const target of report.run.targets) ran[targetLabel(target)] = new Set();
  for (const result of report.results) {
    const label = targetLabel({ platform: result.platform, clientVersion: result.clientVersion });
    for (const scenario of result.scenarios) ran[label]?.add(scenario.location);
  }
  return Object.fromEntries(Object.entries(ran).map(([label, locations]) => [label, [...locations].sort()]));
}

describe('run FEATURE:LINE and --name', () => {
  test("an outline's line: its row for each target's platform, on every default target", async () => {
    const reportDir = await tempDir('cli-line-');
    const { code, stdout } = await cli(['run', `${SWITCHING}:${OUTLINE}`, '--report-dir', reportDir]);
    assert.equal(code, 0, stdout);
    const report = await readReport(reportDir);
    const windows = [`${SWITCHING}:${WINDOWS_ROW}`];
    const macos = [`${SWITCHING}:${MACOS_ROW}`];
    assert.deepEqual(ranPerTarget(report), {
      'windows 4.7': windows,
      'windows 4.6': windows,
      'windows 4.5': windows,
      'macos 4.7': macos,
    });
    assert.equal(report.summary.scenarios, 4);
    assert.ok(
      report.results.filter((r) => r.requirement === 'EX-MAIN-ON').every((r) => r.status === 'conforms'),
    );
  });

  test('an Examples row, and a row of another platform that the target does not run', async () => {
    const reportDir = await tempDir('cli-row-');
    const row = `${SWITCHING}:${WINDOWS_ROW}:${MACOS_ROW}`;
    const { code, stdout } = await cli(['run', row, '--platform', 'macos', '--report-dir', reportDir]);
    assert.equal(code, 0, stdout);
    assert.deepEqual(ranPerTarget(await readReport(reportDir)), {
      'macos 4.7': [`${SWITCHING}:${MACOS_ROW}`],
    });
  });

  test('--name: the scenarios whose name matches any of the expressions, with --tags', async () => {
    const reportDir = await tempDir('cli-name-');
    const { code, stdout, stderr } = await cli(
      [
        'run',
        '--name',
        '^Turn On for the main tenant',
        '--name',
        'no scenario is called this',
        '--tags',
        '@req:EX-ONE-ACTIVE',
        '--platform',
        'macos',
        '--report-dir',
        reportDir,
      ],
      { FORCE_COLOR: '1' },
    );
    assert.equal(code, 0, stderr);
    assert.deepEqual(ranPerTarget(await readReport(reportDir)), {
      'macos 4.7': [`${SWITCHING}:${MACOS_ROW}`],
    });
    // FORCE_COLOR colours the summary even though stdout is not a terminal (and NO_COLOR is set).
    assert.ok(stdout.includes(ESC), stdout);
  });

  test('a feature file without a line: its scenarios alone; --no-color over FORCE_COLOR', async () => {
    const reportDir = await tempDir('cli-file-');
    const { code, stdout } = await cli(
      ['run', SWITCHING, '--platform', 'macos', '--no-color', '--report-dir', reportDir],
      { FORCE_COLOR: '1' },
    );
    assert.equal(code, 0, stdout);
    const ran = ranPerTarget(await readReport(reportDir))['macos 4.7'] ?? [];
    assert.ok(ran.length > 1, ran.join(' '));
    assert.ok(
      ran.every((location) => location.startsWith(`${SWITCHING}:`)),
      ran.join(' '),
    );
    assert.ok(!stdout.includes(ESC), stdout);
  });

  test('--shard deals out the selected scenarios: the shards of a file are its scenarios, once each', async () => {
    const whole = await tempDir('cli-file-whole-');
    assert.equal((await cli(['run', SWITCHING, '--platform', 'macos', '--report-dir', whole])).code, 0);
    const all = ranPerTarget(await readReport(whole))['macos 4.7'] ?? [];
    const shards: string[] = [];
    for (const shard of ['1/2', '2/2']) {
      const reportDir = await tempDir('cli-file-shard-');
      const args = ['run', SWITCHING, '--platform', 'macos', '--shard', shard, '--report-dir', reportDir];
      assert.equal((await cli(args)).code, 0, shard);
      const ran = ranPerTarget(await readReport(reportDir))['macos 4.7'] ?? [];
      assert.ok(ran.length > 0 && ran.length < all.length, `${shard}: ${ran.join(' ')}`);
      shards.push(...ran);
    }
    assert.deepEqual(shards.toSorted(), all);
  });

  test('a selection no target runs: exit 2 naming it', async () => {
    const reportDir = await tempDir('cli-none-');
    const row = `${SWITCHING}:${WINDOWS_ROW}`;
    const { code, stderr } = await cli(['run', row, '--platform', 'macos', '--report-dir', reportDir]);
    assert.equal(code, 2);
    assert.equal(
      stderr.split('\n')[0],
      `connector-conformance: no scenario ran: ${row} selected none of the suite's scenarios on macos 4.7; a run that checked nothing passes nothing (--pass-with-no-scenarios accepts it)`,
    );
  });

  const refused: [string, (dir: string) => Promise<string[]>, RegExp][] = [
    [
      'a line that is no scenario (the Background)',
      async () => [`${SWITCHING}:7`],
      /^connector-conformance: features\/shared\/switching\.feature:7: line 7 of features\/shared\/switching\.feature is no scenario or Examples row$/,
    ],
    [
      'a line past the end',
      async () => [`${SWITCHING}:${MACOS_ROW}:9999`],
      /: line 9999 of features\/shared\/switching\.feature is no scenario or Examples row$/,
    ],
    [
      'a feature file that does not exist',
      async () => ['features/shared/no-such.feature:3'],
      /^connector-conformance: features\/shared\/no-such\.feature:3: no such feature file$/,
    ],
    [
      'a feature file outside the suite, for a certification bundle',
      async (dir) => {
        const file = path.join(dir, 'mine.feature');
        await writeFile(file, 'Feature: mine\n  Scenario: mine\n    Given nothing\n');
        return [`${file}:2`, '--bundle'];
      },
      /--bundle: a certification covers the suite's features \(features\/\), and \S*mine\.feature:2 is not one of them$/,
    ],
    [
      'something else than a feature file',
      async () => ['README.md'],
      /^connector-conformance: README\.md: expected a feature file, features\/x\.feature, or lines in it, features\/x\.feature:LINE$/,
    ],
    [
      'an invalid regular expression',
      async () => ['--name', 'Turn On ('],
      /^connector-conformance: --name "Turn On \(": Invalid regular expression: \/Turn On \(\/: Unterminated group$/,
    ],
  ];
  for (const [what, args, message] of refused) {
    test(`${what}: exit 2, one line, a report, nothing run`, async () => {
      const reportDir = await tempDir('cli-bad-selection-');
      const { code, stdout, stderr } = await cli([
        'run',
        ...(await args(reportDir)),
        '--report-dir',
        reportDir,
      ]);
      assert.equal(code, 2, stderr);
      const lines = stderr.split('\n').filter((line) => line !== '' && !line.startsWith('report: '));
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0] ?? '', message);
      assert.equal(stdout, '');
      const report = await readReport(reportDir);
      assert.equal(report.summary.scenarios, 0);
      assert.ok(report.results.every((r) => r.status === 'error'));
    });
  }
});
