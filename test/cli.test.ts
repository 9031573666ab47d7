/** The command line: exit codes, one-line errors for bad input, and a report even when a run fails. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { ConformanceReport } from '../src/report/types.ts';
import { PROJECT_ROOT } from '../src/runner/options.ts';

const BIN = path.join(PROJECT_ROOT, 'bin', 'connector-conformance.js');

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function readReport(dir: string): Promise<ConformanceReport> {
  return JSON.parse(await readFile(path.join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
}

const tempDir = (prefix: string) => mkdtemp(path.join(tmpdir(), prefix));

describe('run with bad input', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'an unknown platform',
      ['--platform', 'linux'],
      /--platform: expected windows, macos or all \(got "linux"\)/,
    ],
    [
      'a malformed client version',
      ['--client-version', 'four'],
      /--client-version: expected a version like 4\.7/,
    ],
    ['a bad worker count', ['--parallel', 'many'], /--parallel: expected a number of workers/],
    ['an unknown defect', ['--defect', 'no-such-defect'], /--defect: unknown defect "no-such-defect"/],
    ['an unknown client', ['--client', 'netscape'], /--client: unknown client "netscape"/],
    ['an unknown flag', ['--colour'], /Unknown option '--colour'/],
  ];
  for (const [what, args, message] of cases) {
    test(`${what}: exit 2, one line, and a report`, async () => {
      const reportDir = await tempDir('cli-bad-');
      const { code, stderr } = await cli(['run', ...args, '--report-dir', reportDir]);
      assert.equal(code, 2);
      const [first] = stderr.split('\n');
      assert.match(first ?? '', message);
      assert.match(stderr, /report: .*conformance\.json/);
      const report = await readReport(reportDir);
      assert.equal(report.run.exitCode, 2);
      assert.ok(report.results.length > 0 && report.results.every((r) => r.status === 'error'));
    });
  }

  test('a UI client without Chromium: exit 2 and one line saying how to get one', async () => {
    const reportDir = await tempDir('cli-no-browser-');
    const { code, stderr } = await cli(['run', '--client', 'ui', '--report-dir', reportDir], {
      CHROMIUM_PATH: path.join(reportDir, 'no-such-chromium'),
    });
    assert.equal(code, 2);
    assert.equal(
      stderr.split('\n')[0],
      "connector-conformance: no Chromium found: install Debian's chromium-headless-shell or chromium (apt-get install chromium-headless-shell) or set CHROMIUM_PATH",
    );
    assert.equal((await readReport(reportDir)).run.exitCode, 2);
  });

  test('a broken fixture: exit 2, one line naming the file and the field, and a report', async () => {
    const fixtures = await tempDir('cli-fixtures-');
    await cp(path.join(PROJECT_ROOT, 'fixtures'), fixtures, { recursive: true });
    const globex = path.join(fixtures, 'organisations', 'globex.yaml');
    await writeFile(globex, (await readFile(globex, 'utf8')).replace('mode: all-tenants', 'mode: everyone'));
    const reportDir = await tempDir('cli-bad-fixture-');
    const { code, stderr } = await cli(['run', '--fixtures', fixtures, '--report-dir', reportDir]);
    assert.equal(code, 2);
    assert.match(
      stderr.split('\n')[0] ?? '',
      /globex\.yaml: partnerLogins\.allowPartnerLoginToThisTenant\.mode must be one of .*\(found "everyone"\)/,
    );
    const report = await readReport(reportDir);
    assert.equal(report.run.exitCode, 2);
    assert.match(report.run.errors[0] ?? '', /globex\.yaml/);
  });
});

describe('run', () => {
  test('with a defect: exit 1 and the nonconforming requirement in the summary', async () => {
    const reportDir = await tempDir('cli-defect-');
    const { code, stdout } = await cli([
      'run',
      '--platform',
      'macos',
      '--defect',
      'partner-not-saved',
      '--report-dir',
      reportDir,
    ]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /PERSIST-RESTART on macos 4\.7: /);
    assert.match(stdout, /result: the client does not conform \(exit 1\)/);
    const report = await readReport(reportDir);
    assert.deepEqual(report.run.targets, [{ platform: 'macos', clientVersion: '4.7' }]);
  });

  test('one version on one platform, filtered by tags', async () => {
    const reportDir = await tempDir('cli-tags-');
    const { code, stdout } = await cli([
      'run',
      '--platform',
      'windows',
      '--client-version',
      '4.8',
      '--tags',
      '@req:EX-MAIN-ON',
      '--report-dir',
      reportDir,
    ]);
    assert.equal(code, 0, stdout);
    const report = await readReport(reportDir);
    assert.deepEqual(report.run.targets, [{ platform: 'windows', clientVersion: '4.8' }]);
    assert.equal(report.results.find((r) => r.requirement === 'EX-MAIN-ON')?.status, 'conforms');
    const unselected = report.results.find((r) => r.requirement === 'PERSIST');
    assert.equal(unselected?.status, 'not-covered');
  });
});

describe('listings', () => {
  test('defects: JSON with a name, requirement and description each', async () => {
    const { code, stdout } = await cli(['defects']);
    assert.equal(code, 0);
    const defects = JSON.parse(stdout) as { name: string; requirement: string; description: string }[];
    assert.ok(defects.length >= 22);
    for (const defect of defects) {
      assert.match(defect.name, /^[a-z0-9-]+$/);
      assert.match(defect.requirement, /^[A-Z]/);
      assert.ok(defect.description.length > 20);
    }
  });

  test('requirements: a table, or the catalog as JSON', async () => {
    const table = await cli(['requirements']);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^AT-SELECT\s+documented\s+windows ≥4\.6\s+/m);
    const json = await cli(['requirements', '--json']);
    const catalog = JSON.parse(json.stdout) as { id: string }[];
    assert.equal(table.stdout.trim().split('\n').length, catalog.length);
  });

  test('an unknown command: exit 2 with the usage', async () => {
    const { code, stderr } = await cli(['certify']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown command "certify"/);
    assert.match(stderr, /Usage: connector-conformance/);
  });
});
