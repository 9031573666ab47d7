/**
 * `explore` (issue 14): random sequences of a person's actions, checked after each; the sequence-only
 * defects of the reference client, which the scripted suite misses, are found on their requirements
 * with the default budget, and each reproducer fails under `run` with the defect and passes without.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DEFECTS } from '../client/core/defects.ts';
import type { Target } from '../src/catalog/types.ts';
import { EXPLORE_DEFAULTS, explore } from '../src/explore/explore.ts';
import { cli, tempDir } from './support/cli.ts';
import { run } from './support/runs.ts';

const WINDOWS: Target = { platform: 'windows', clientVersion: '4.7' };
const SEQUENCE_ONLY = DEFECTS.filter((defect) => defect.sequenceOnly);

describe('explore', () => {
  test('there are sequence-only defects, and the scripted suite misses every one', async () => {
    assert.ok(SEQUENCE_ONLY.length >= 2, SEQUENCE_ONLY.map((defect) => defect.name).join(', '));
    for (const defect of SEQUENCE_ONLY) {
      const scripted = await run({ defect: defect.name });
      assert.equal(scripted.report.run.exitCode, 0, `the scripted suite catches ${defect.name}`);
    }
  });

  test('the clean reference client: the default budget, no violation', async () => {
    const result = await explore({
      client: 'reference',
      target: WINDOWS,
      ...EXPLORE_DEFAULTS,
      seed: 1,
      reportDir: await tempDir('explore-clean-'),
    });
    assert.equal(result.finding, undefined, result.finding?.message);
    assert.equal(result.sequences, EXPLORE_DEFAULTS.runs);
    assert.ok(
      result.steps > 2 * result.sequences,
      `${result.steps} actions in ${result.sequences} sequences`,
    );
  });

  for (const defect of SEQUENCE_ONLY) {
    test(`${defect.name}: found on ${defect.requirement}; the reproducer fails with it and passes without`, async () => {
      const dir = await tempDir('explore-');
      const found = await cli(['explore', '--defect', defect.name, '--seed', '1', '--report-dir', dir]);
      assert.equal(found.code, 1, found.stdout + found.stderr);
      assert.match(found.stdout, new RegExp(`^violation of ${defect.requirement} after \\d+ actions: `, 'm'));
      assert.match(found.stdout, /^again: connector-conformance explore --seed 1 /m);
      const json = JSON.parse(await readFile(path.join(dir, 'explore.json'), 'utf8')) as {
        finding: { requirements: string[]; commands: string[] };
        reproducer: string;
        seed: number;
      };
      assert.equal(json.seed, 1);
      assert.equal(json.finding.requirements[0], defect.requirement);
      assert.equal(json.reproducer, `found/${defect.requirement}-1.feature`);
      const feature = path.join(dir, json.reproducer);
      assert.match(found.stdout, new RegExp(`^reproducer: ${feature.replaceAll('.', '\\.')}$`, 'm'));
      const text = await readFile(feature, 'utf8');
      assert.match(text, new RegExp(`^  @req:${defect.requirement} @platform:windows @explore$`, 'm'));

      const replayed = await run({ paths: [feature], targets: [WINDOWS], defect: defect.name });
      assert.equal(replayed.report.run.exitCode, 1, JSON.stringify(replayed.report.run.errors));
      const own = replayed.report.results.find((r) => r.requirement === defect.requirement);
      assert.equal(own?.status, 'nonconforming', JSON.stringify(own));
      const conforming = await run({ paths: [feature], targets: [WINDOWS] });
      assert.equal(conforming.report.run.exitCode, 0, JSON.stringify(conforming.report.results));
      assert.equal(
        conforming.report.results.find((r) => r.requirement === defect.requirement)?.status,
        'conforms',
      );
    });
  }

  test('the command: progress, the page and the JSON of a run with no violation, exit 0', async () => {
    const dir = await tempDir('explore-page-');
    const { code, stdout, stderr } = await cli([
      'explore',
      '--seed',
      '3',
      '--runs',
      '60',
      '--report-dir',
      dir,
    ]);
    assert.equal(code, 0, stdout + stderr);
    assert.match(
      stderr,
      /^explore: reference on windows 4\.7, seed 3, up to 60 sequences of up to 20 actions in 60 s$/m,
    );
    assert.match(stdout, /^60 sequences, \d+ actions in [\d.]+ s \([\d.]+ sequences\/s\), seed 3$/m);
    assert.match(stdout, /^no violation: every invariant held after every action$/m);
    const page = await readFile(path.join(dir, 'explore.html'), 'utf8');
    assert.match(page, /<h2>No violation<\/h2>/);
    assert.match(
      page,
      /<td>PERSIST-RESTART<\/td><td>a partner tenant added stays listed over a restart<\/td>/,
    );
    const json = JSON.parse(await readFile(path.join(dir, 'explore.json'), 'utf8')) as { sequences: number };
    assert.equal(json.sequences, 60);
  });

  test('--time-budget: no new sequence after it, the one in flight finished, and the process exits', async () => {
    const dir = await tempDir('explore-budget-');
    const { code, stdout, stderr } = await cli(
      ['explore', '--time-budget', '2', '--runs', '100000', '--seed', '5', '--report-dir', dir],
      {},
      undefined,
      120_000,
    );
    assert.equal(code, 0, stdout + stderr);
    const json = JSON.parse(await readFile(path.join(dir, 'explore.json'), 'utf8')) as {
      sequences: number;
      seconds: number;
    };
    assert.ok(json.sequences > 0 && json.sequences < 100_000, `${json.sequences} sequences`);
    assert.ok(json.seconds >= 2, `${json.seconds} s`);
  });

  const bad: [string[], RegExp][] = [
    [
      ['--runs', '0'],
      /^connector-conformance explore: --runs: expected a whole number from 1 to 100000 \(got "0"\)$/,
    ],
    [
      ['--max-steps', 'many'],
      /^connector-conformance explore: --max-steps: expected a whole number from 1 to 200 \(got "many"\)$/,
    ],
    [
      ['--platform', 'linux'],
      /^connector-conformance explore: --platform: expected windows or macos \(got "linux"\)$/,
    ],
    [
      ['--defect', 'nope'],
      /^connector-conformance explore: --defect: unknown defect "nope"; see `connector-conformance defects`$/,
    ],
    [
      ['--client-command', 'serve'],
      /^connector-conformance explore: --client-command: the command must contain \{port\}, where the client is to listen$/,
    ],
  ];
  for (const [args, message] of bad) {
    test(`explore ${args.join(' ')}: one line naming the flag, exit 2`, async () => {
      const { code, stderr } = await cli(['explore', ...args]);
      assert.equal(code, 2);
      assert.match(stderr.trim(), message);
    });
  }
});
