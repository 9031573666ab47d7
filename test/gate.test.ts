/** The gate's pieces on synthetic reports: expect files, their application, the diff, the summary and the history page. */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadCatalog } from '../src/catalog/load.ts';
import type { Target } from '../src/catalog/types.ts';
import { diffReports, renderDiff } from '../src/report/diff.ts';
import {
  applyExpectations,
  checkExpectations,
  type ExpectEntry,
  expectFileFor,
  loadExpectFile,
} from '../src/report/expect.ts';
import { gateExitCode, gateFindings } from '../src/report/gate.ts';
import { renderHistory } from '../src/report/history.ts';
import { validateReport } from '../src/report/schema.ts';
import { renderSummaryTable } from '../src/report/summary.ts';
import type { ConformanceReport, RequirementResult, RequirementStatus } from '../src/report/types.ts';
import { DEFAULT_OPTIONS } from '../src/runner/options.ts';
import { syntheticReport } from './support/reports.ts';

const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);
const W47: Target = { platform: 'windows', clientVersion: '4.7' };
const M47: Target = { platform: 'macos', clientVersion: '4.7' };

type Cell = [requirement: string, target: Target, status: RequirementStatus];

function result([requirement, target, status]: Cell): RequirementResult {
  const quiet = status === 'conforms' || status === 'not-applicable' || status === 'not-covered';
  return {
    requirement,
    title: `${requirement} title`,
    level: 'documented',
    ...target,
    status,
    scenarios:
      status === 'not-applicable' || status === 'not-covered'
        ? []
        : [
            {
              name: `${requirement} scenario`,
              location: 'features/x.feature:3',
              verdict: quiet ? 'passed' : 'failed',
            },
          ],
    ...(quiet ? {} : { message: `${requirement} went wrong` }),
    ...(status === 'expected-nonconforming'
      ? { expectation: { reason: 'known', found: 'nonconforming' } }
      : {}),
  };
}

function report(cells: Cell[], targets: Target[] = [W47, M47]): ConformanceReport {
  return syntheticReport(cells.map(result), targets);
}

async function expectFile(text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'expect-')), 'expected.yaml');
  await writeFile(file, text);
  return file;
}

const entry = (requirement: string, target: Target, reason = 'known'): ExpectEntry => ({
  requirement,
  ...target,
  reason,
});

describe('expect file', () => {
  test('reads entries, every value a string (4.10 stays 4.10)', async () => {
    const file = await expectFile(`expected:
  - requirement: EX-MAIN-ON
    platform: windows
    clientVersion: 4.10
    reason: vendor bug 123
    link: https://tracker.example/123
`);
    assert.deepEqual(await loadExpectFile(file), [
      {
        requirement: 'EX-MAIN-ON',
        platform: 'windows',
        clientVersion: '4.10',
        reason: 'vendor bug 123',
        link: 'https://tracker.example/123',
      },
    ]);
  });

  const bad: [string, string, RegExp][] = [
    ['not YAML', 'expected: [', /: not valid YAML: /],
    ['empty', '', /: expected a mapping with a list under "expected:"$/],
    ['no list', 'expected: nothing\n', /: "expected" must be a list of entries$/],
    [
      'an entry without a reason',
      'expected:\n  - { requirement: PA-OPEN, platform: macos, clientVersion: "4.7" }\n',
      /: expected\[0\] \(PA-OPEN on macos 4\.7\): missing reason$/,
    ],
    [
      'a bad platform',
      'expected:\n  - { requirement: PA-OPEN, platform: linux, clientVersion: "4.7", reason: r }\n',
      /: expected\[0\] \(PA-OPEN on linux 4\.7\): platform must be windows or macos \(got "linux"\)$/,
    ],
    [
      'a bad link',
      'expected:\n  - { requirement: PA-OPEN, platform: macos, clientVersion: "4.7", reason: r, link: "see bug" }\n',
      /: expected\[0\] \(PA-OPEN on macos 4\.7\): link must be an http\(s\) URL \(got "see bug"\)$/,
    ],
    [
      'an unknown field',
      'expected:\n  - { requirement: PA-OPEN, platform: macos, clientVersion: "4.7", reasons: r }\n',
      /: expected\[0\] \(PA-OPEN on macos 4\.7\): unknown field "reasons"$/,
    ],
    [
      'the same cell twice',
      'expected:\n  - { requirement: PA-OPEN, platform: macos, clientVersion: "4.7", reason: a }\n  - { requirement: PA-OPEN, platform: macos, clientVersion: "4.7", reason: b }\n',
      /: expected\[1\] \(PA-OPEN on macos 4\.7\): the same cell as expected\[0\]$/,
    ],
  ];
  for (const [what, text, message] of bad) {
    test(`${what}: one line naming the file and the entry`, async () => {
      const file = await expectFile(text);
      await assert.rejects(loadExpectFile(file), (error: Error) => {
        assert.ok(error.message.startsWith(`${file}: `), error.message);
        assert.match(error.message, message);
        assert.ok(!error.message.includes('\n'));
        return true;
      });
    });
  }

  test('an unreadable file is named', async () => {
    await assert.rejects(loadExpectFile('/no/such/expected.yaml'), {
      message: '/no/such/expected.yaml: cannot read the expect file (ENOENT)',
    });
  });

  test('an entry that matches no cell of the run is refused, naming it', () => {
    const check = (entries: ExpectEntry[]) => () => checkExpectations('x.yaml', entries, catalog, [W47]);
    assert.throws(check([entry('EX-MAIN-ON', W47), entry('NO-SUCH', W47)]), {
      message: 'x.yaml: expected[1] (NO-SUCH on windows 4.7) matches nothing: NO-SUCH is not in the catalog',
    });
    assert.throws(check([entry('EX-MAIN-ON', M47)]), {
      message:
        "x.yaml: expected[0] (EX-MAIN-ON on macos 4.7) matches nothing: this run's targets are windows 4.7",
    });
    assert.throws(check([entry('AT-MAC-NO-SELECT', W47)]), {
      message:
        'x.yaml: expected[0] (AT-MAC-NO-SELECT on windows 4.7) matches nothing: AT-MAC-NO-SELECT does not apply to windows 4.7',
    });
    assert.doesNotThrow(check([entry('EX-MAIN-ON', W47)]));
  });
});

describe('applying expectations', () => {
  const run = report([
    ['EX-MAIN-ON', W47, 'nonconforming'],
    ['EX-MAIN-ON', M47, 'blocked'],
    ['PERSIST', W47, 'conforms'],
    ['PERSIST', M47, 'error'],
    ['PA-OPEN', W47, 'conforms'],
  ]);

  test('nonconforming and blocked listed cells become expected-nonconforming, keeping what failed', () => {
    const applied = applyExpectations(
      report(run.results.slice(0, 2).map((r) => [r.requirement, r, r.status])),
      [
        { ...entry('EX-MAIN-ON', W47, 'vendor bug 1'), link: 'https://tracker.example/1' },
        entry('EX-MAIN-ON', M47),
      ],
      'expected.yaml',
    );
    const [windows, macos] = applied.results;
    assert.equal(windows?.status, 'expected-nonconforming');
    assert.equal(windows?.message, 'EX-MAIN-ON went wrong');
    assert.deepEqual(windows?.scenarios, run.results[0]?.scenarios);
    assert.deepEqual(windows?.expectation, {
      reason: 'vendor bug 1',
      link: 'https://tracker.example/1',
      found: 'nonconforming',
    });
    assert.equal(macos?.status, 'expected-nonconforming');
    assert.equal(macos?.expectation?.found, 'blocked');
    assert.equal(applied.summary['expected-nonconforming'], 2);
    assert.equal(applied.summary.nonconforming, 0);
    assert.equal(applied.run.expect, 'expected.yaml');
    assert.equal(applied.run.exitCode, 0);
    assert.deepEqual(validateReport(applied), []);
  });

  test('a listed cell that conforms stays conforms, and fails the gate naming the cell and the file', () => {
    const applied = applyExpectations(
      report([
        ['EX-MAIN-ON', W47, 'nonconforming'],
        ['PA-OPEN', W47, 'conforms'],
      ]),
      [entry('EX-MAIN-ON', W47), entry('PA-OPEN', W47)],
      'expected.yaml',
    );
    assert.equal(applied.results[1]?.status, 'conforms');
    assert.equal(applied.results[1]?.expectation?.found, 'conforms');
    assert.equal(applied.run.exitCode, 1);
    assert.deepEqual(gateFindings(applied), [
      'PA-OPEN on windows 4.7 now conforms; remove it from expected.yaml',
    ]);
    assert.deepEqual(validateReport(applied), []);
  });

  test('a listed cell in error stays error (exit 2): an error says nothing about the client', () => {
    const applied = applyExpectations(run, [entry('PERSIST', M47)], 'expected.yaml');
    const cell = applied.results.find((r) => r.requirement === 'PERSIST' && r.platform === 'macos');
    assert.equal(cell?.status, 'error');
    assert.equal(cell?.expectation?.found, 'error');
    assert.equal(applied.run.exitCode, 2);
  });

  test('a status this version does not know is expected like a nonconformance', () => {
    const odd = report([['EX-MAIN-ON', W47, 'conforms']]);
    const [cell] = odd.results;
    assert.ok(cell);
    (cell as { status: string }).status = 'quarantined';
    assert.equal(gateExitCode(odd), 1, 'an unknown status fails the gate');
    const applied = applyExpectations(odd, [entry('EX-MAIN-ON', W47)], 'e.yaml');
    assert.equal(applied.results[0]?.status, 'expected-nonconforming');
    assert.equal(applied.results[0]?.expectation?.found, 'quarantined');
    assert.equal(applied.run.exitCode, 0);
  });

  test('expect --from lists the failing cells but errors, keeps earlier reasons, and is read back', async () => {
    const earlier = applyExpectations(run, [entry('EX-MAIN-ON', M47, 'known since 4.6')], 'old.yaml');
    const file = await expectFile(expectFileFor(earlier, 'reports/conformance.json'));
    const entries = await loadExpectFile(file);
    assert.deepEqual(entries, [
      { requirement: 'EX-MAIN-ON', platform: 'windows', clientVersion: '4.7', reason: 'TODO: why' },
      { requirement: 'EX-MAIN-ON', platform: 'macos', clientVersion: '4.7', reason: 'known since 4.6' },
    ]);
    assert.doesNotThrow(() => checkExpectations(file, entries, catalog, earlier.run.targets));
    const nothing = await expectFile(expectFileFor(report([['PA-OPEN', W47, 'conforms']]), 'r.json'));
    assert.deepEqual(await loadExpectFile(nothing), []);
  });
});

describe('diff', () => {
  const older = report([
    ['PA-OPEN', W47, 'conforms'],
    ['AT-OPEN', W47, 'conforms'],
    ['AT-USERNAME', W47, 'nonconforming'],
    ['PERSIST', W47, 'expected-nonconforming'],
    ['PERSIST-RESTART', W47, 'conforms'],
    ['IDP-RETURN', W47, 'nonconforming'],
    ['GONE', W47, 'conforms'],
  ]);
  const newer = report(
    [
      ['PA-OPEN', W47, 'nonconforming'],
      ['AT-OPEN', W47, 'expected-nonconforming'],
      ['AT-USERNAME', W47, 'conforms'],
      ['PERSIST', W47, 'conforms'],
      ['PERSIST-RESTART', W47, 'not-covered'],
      ['IDP-RETURN', W47, 'blocked'],
      ['NEW-ONE', W47, 'conforms'],
      ['NEW-ONE', M47, 'conforms'],
    ],
    [W47, M47],
  );
  older.run.targets = [W47, { platform: 'windows', clientVersion: '4.5' }];
  const diff = diffReports(older, newer);
  const cells = (list: { requirement: string; from: string; to: string }[]) =>
    list.map((c) => `${c.requirement}: ${c.from} → ${c.to}`);

  test('regressions: conforms (or expected) to anything worse, expected-nonconforming included', () => {
    assert.deepEqual(cells(diff.regressions), [
      'PA-OPEN: conforms → nonconforming',
      'AT-OPEN: conforms → expected-nonconforming',
    ]);
    assert.equal(diff.regressions[0]?.message, 'PA-OPEN went wrong');
  });

  test('fixes, other changes, new and removed requirements and targets', () => {
    assert.deepEqual(cells(diff.fixes), [
      'AT-USERNAME: nonconforming → conforms',
      'PERSIST: expected-nonconforming → conforms',
    ]);
    assert.deepEqual(cells(diff.changes), [
      'PERSIST-RESTART: conforms → not-covered',
      'IDP-RETURN: nonconforming → blocked',
    ]);
    assert.deepEqual(diff.newRequirements, ['NEW-ONE']);
    assert.deepEqual(diff.removedRequirements, ['GONE']);
    assert.deepEqual(diff.newTargets, [M47]);
    assert.deepEqual(diff.removedTargets, [{ platform: 'windows', clientVersion: '4.5' }]);
  });

  test('as text: each section with its count', () => {
    const text = renderDiff(diff);
    assert.match(
      text,
      /^regressions \(2\):\n {2}PA-OPEN on windows 4\.7: conforms → nonconforming: PA-OPEN went wrong\n/,
    );
    assert.match(text, /^new targets \(1\): macos 4\.7$/m);
    assert.match(text, /^removed requirements \(1\): GONE$/m);
    assert.equal(renderDiff(diffReports(older, older)).split('\n')[0], 'regressions (0): none');
  });
});

describe('summary with expectations and findings', () => {
  test('expected cells with their reason, cells that now conform and regressions, marked »', () => {
    const applied = applyExpectations(
      report([
        ['EX-MAIN-ON', W47, 'nonconforming'],
        ['PA-OPEN', W47, 'conforms'],
      ]),
      [entry('EX-MAIN-ON', W47, 'vendor bug 7'), entry('PA-OPEN', W47)],
      'expected.yaml',
    );
    applied.baseline = {
      file: 'old.json',
      ...diffReports(report([['EX-MAIN-ON', W47, 'conforms']]), applied),
    };
    const lines = renderSummaryTable(applied, { color: false }).split('\n');
    assert.ok(lines.includes('✓ 1 conforms  ≈ 1 expected nonconforming'), lines.join('\n'));
    assert.ok(lines.includes('≈ EX-MAIN-ON on windows 4.7: expected (vendor bug 7): EX-MAIN-ON went wrong'));
    assert.ok(lines.includes('» PA-OPEN on windows 4.7 now conforms; remove it from expected.yaml'));
    assert.ok(
      lines.includes(
        '» EX-MAIN-ON on windows 4.7 regressed: conforms → expected-nonconforming (against old.json)',
      ),
    );
  });
});

describe('history page', () => {
  const first = report(
    [
      ['PA-OPEN', W47, 'conforms'],
      ['AT-MAC-NO-SELECT', W47, 'not-applicable'],
      ['RETIRED', W47, 'conforms'],
    ],
    [W47],
  );
  const second = report(
    [
      ['PA-OPEN', W47, 'nonconforming'],
      ['AT-MAC-NO-SELECT', W47, 'not-applicable'],
    ],
    [W47],
  );
  second.client = { ...second.client, version: '4.8', defect: 'private-access-does-not-open' };
  second.run.finishedAt = '2025-02-03T10:20:30.000Z';
  (second.results[1] as { status: string }).status = 'quarantined';
  const html = renderHistory(
    [
      { source: 'builds/4.7/conformance.json', report: first },
      { source: 'builds/4.8/conformance.json', report: second },
    ],
    catalog,
  );

  test('one self-contained page: no script, no external asset', () => {
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /<script|<link|src=|url\(|@import|https?:/);
  });

  test('rows grouped as the catalog groups them, then requirements only old reports have', () => {
    const order = [
      'Preconditions',
      'Private Access',
      'Add Tenant',
      'Sign-in',
      'Switching tenants',
      'Not in the current catalog',
    ];
    const positions = order.map((label) => html.indexOf(`>${label}</th></tr>`));
    assert.ok(
      positions.every((p) => p > 0),
      String(positions),
    );
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
    );
    assert.match(html, /<code>RETIRED<\/code> RETIRED title/);
    assert.match(html, /<code>PRE-LEGACY<\/code> [^<]*<span class="inferred">inferred<\/span>/);
  });

  test('columns in the order given, labelled with version, client, defect and date; changed cells outlined', () => {
    assert.ok(html.indexOf('2025-01-02 03:04 UTC') < html.indexOf('2025-02-03 10:20 UTC'));
    assert.match(
      html,
      /title="builds\/4\.8\/conformance\.json">4\.8<small>client<\/small><small>defect: private-access-does-not-open<\/small>/,
    );
    const paOpen = /<code>PA-OPEN<\/code>.*<\/tr>/.exec(html)?.[0] ?? '';
    assert.match(
      paOpen,
      /<td class="s-conforms run-start" title="conforms">✓<\/td><td class="s-nonconforming run-start changed" title="nonconforming — PA-OPEN went wrong">✗<\/td>/,
    );
  });

  test('a status the page does not know: neutral style, its name as text; a cell a run lacks is blank', () => {
    const row = /<code>AT-MAC-NO-SELECT<\/code>.*<\/tr>/.exec(html)?.[0] ?? '';
    assert.match(row, /<td class="s-other run-start changed" title="quarantined">quarantined<\/td>/);
    const retired = /<code>RETIRED<\/code>.*<\/tr>/.exec(html)?.[0] ?? '';
    assert.match(retired, /<td class="s-other run-start" title="not in this run"><\/td><\/tr>$/);
  });
});
