/** The command line: exit codes, one-line errors for bad input, and a report even when a run fails. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { commandPath, createProgram, everyCommand } from '../src/cli/program.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import type { ConformanceReport } from '../src/report/types.ts';
import { closedPort } from './support/ccdp.ts';
import { BIN, brokenFixtures, cli, tempDir } from './support/cli.ts';

async function readReport(dir: string): Promise<ConformanceReport> {
  return JSON.parse(await readFile(path.join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
}

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
    ['an unknown flag', ['--colour'], /^connector-conformance: unknown option '--colour'$/],
    [
      'a client command without {port}',
      ['--client-command', 'vendor-client --listen 8080'],
      /^connector-conformance: --client-command: the command must contain \{port\}, where the harness puts the port/,
    ],
    [
      'the remote client without a command',
      ['--client', 'remote'],
      /^connector-conformance: --client remote: give the command that starts the client \(--client-command "CMD \{port\}"\), or use --client remote:URL$/,
    ],
    [
      'a client command with a UI client',
      ['--client', 'ui', '--client-command', 'vendor-client {port}'],
      /^connector-conformance: --client-command: it starts a ccdp\/1 client and does not go with --client ui$/,
    ],
    [
      'a bad action timeout',
      ['--action-timeout', 'soon'],
      /^connector-conformance: --action-timeout: expected milliseconds from 1 to 600000 \(got "soon"\)$/,
    ],
    [
      'a remote client elsewhere',
      ['--client', 'remote:http://192.0.2.1:8080'],
      /^connector-conformance: --client: "remote:http:\/\/192\.0\.2\.1:8080": remote:URL takes an http URL on this machine/,
    ],
    [
      'workers sharing one remote client',
      ['--client', 'remote:http://127.0.0.1:9', '--parallel', '2'],
      /^connector-conformance: --parallel: a client at http:\/\/127\.0\.0\.1:9 serves one session at a time; use --client-command to start one per worker$/,
    ],
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

  test('a remote client that is not there: exit 2, one line, and a report', async () => {
    const port = await closedPort();
    const reportDir = await tempDir('cli-bad-');
    const { code, stderr } = await cli([
      'run',
      '--client',
      `remote:http://127.0.0.1:${port}`,
      '--report-dir',
      reportDir,
    ]);
    assert.equal(code, 2);
    assert.equal(
      stderr.split('\n')[0],
      `connector-conformance: read the status of http://127.0.0.1:${port}: expected 200 with a ccdp/1 status from GET /ccdp/1/status; got connection refused (nothing listens there)`,
    );
    assert.ok((await readReport(reportDir)).results.every((r) => r.status === 'error'));
  });

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
    const fixtures = await brokenFixtures('cli-fixtures-');
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

describe('every command, given malformed input', () => {
  // What each prints: exit 2, one line on stderr naming the flag or file (a run adds the line saying
  // where its report is), and never a stack trace.
  const cases: [string[], RegExp][] = [
    [
      ['run', '--parallel', '-1'],
      /^connector-conformance: --parallel: expected a number of workers from 0 to 16 \(got "-1"\)$/,
    ],
    [['run', '--parallel'], /^connector-conformance: option '--parallel <n>' argument missing$/],
    [
      ['run', '--tags', '@req:PA-OPEN and'],
      /--tags: Tag expression "@req:PA-OPEN and" could not be parsed because of syntax error: Expected operand\.$/,
    ],
    [['run', '--no-color=yes'], /^connector-conformance: unknown option '--no-color=yes'$/],
    [['merge', '--bogus'], /^connector-conformance merge: unknown option '--bogus'$/],
    [['merge'], /^connector-conformance merge: missing required argument 'dir'$/],
    [
      ['verify', '--public-key'],
      /^connector-conformance verify: option '--public-key <pem>' argument missing$/,
    ],
    [['expect', '--from'], /^connector-conformance expect: option '--from <report>' argument missing$/],
    [['expect'], /^connector-conformance expect: required option '--from <report>' not specified$/],
    [['diff', 'old.json'], /^connector-conformance diff: missing required argument 'new'$/],
    [
      ['history', 'reports', '--out'],
      /^connector-conformance history: option '--out <file>' argument missing$/,
    ],
    [
      ['env', 'up', '--port', '-5'],
      /^connector-conformance env up: --port: expected a port from 0 \(free ports\) to 65000 \(got "-5"\)$/,
    ],
    [
      ['env', 'down'],
      /^connector-conformance env: unknown command "down" \(the commands: up, help; connector-conformance help env says more\)$/,
    ],
    [
      ['serve-client', '--platform'],
      /^connector-conformance serve-client: option '--platform <platform>' argument missing$/,
    ],
    [
      ['requirements', '--jsn'],
      /^connector-conformance requirements: unknown option '--jsn' \(Did you mean --json\?\)$/,
    ],
    [
      ['defects', 'all'],
      /^connector-conformance defects: too many arguments for 'defects'\. Expected 0 arguments but got 1\.$/,
    ],
  ];
  for (const [args, message] of cases) {
    test(`${args.join(' ')}: exit 2, one line, no stack trace`, async () => {
      const reportDir = await tempDir('cli-malformed-');
      const runArgs = args[0] === 'run' ? ['run', '--report-dir', reportDir, ...args.slice(1)] : args;
      const { code, stderr } = await cli(runArgs);
      assert.equal(code, 2, stderr);
      const lines = stderr.split('\n').filter((line) => line !== '' && !line.startsWith('report: '));
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0] ?? '', message);
      assert.doesNotMatch(stderr, /^\s+at /m);
    });
  }
});

describe('the report folder', () => {
  const unusable: [string, (dir: string) => Promise<string>, RegExp][] = [
    [
      'a file',
      async (dir) => {
        await writeFile(path.join(dir, 'file'), 'x');
        return path.join(dir, 'file');
      },
      /^connector-conformance: --report-dir .*file: is a file, not a folder$/,
    ],
    [
      'a folder under a file',
      async (dir) => {
        await writeFile(path.join(dir, 'file'), 'x');
        return path.join(dir, 'file', 'reports');
      },
      /^connector-conformance: --report-dir .*file\/reports: .*file is a file, not a folder$/,
    ],
    [
      'a pseudo-filesystem path',
      async () => '/proc/self/x',
      /^connector-conformance: --report-dir \/proc\/self\/x: cannot write in \/proc\/self \(\w+\)$/,
    ],
  ];
  for (const [what, make, message] of unusable) {
    test(`${what}: refused before the run, in one line, exit 2`, async () => {
      const reportDir = await make(await tempDir('cli-folder-'));
      const { code, stdout, stderr } = await cli(['run', '--report-dir', reportDir]);
      assert.equal(code, 2);
      assert.match(stderr.trimEnd(), message);
      assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
      assert.equal(stdout, '', 'nothing ran');
    });
  }

  test("a run replaces the earlier run's files and only those; a refused run leaves no stale bundle", async () => {
    const parent = await tempDir('cli-folder-');
    const reportDir = path.join(parent, 'reports');
    const macos = ['run', '--platform', 'macos', '--tags', '@req:EX-MAIN-ON', '--report-dir', reportDir];
    const bundled = await cli([...macos, '--bundle']);
    assert.equal(bundled.code, 0, bundled.stdout);
    await writeFile(path.join(reportDir, 'notes.txt'), 'mine');
    await writeFile(path.join(reportDir, 'targets', 'mine.txt'), 'mine');
    await writeFile(path.join(reportDir, 'targets', 'macos-4.7', 'mine.txt'), 'mine');
    assert.ok((await readdir(reportDir)).includes('certification-bundle.tar'));

    const refused = await cli([...macos, '--platform', 'linux']);
    assert.equal(refused.code, 2);
    const after = await readdir(reportDir, { recursive: true });
    assert.ok(!after.includes('certification-bundle.tar'), 'the earlier bundle is gone');
    assert.ok(
      !after.some((file) => file.endsWith('messages.ndjson')),
      "the earlier run's target files are gone",
    );
    for (const mine of ['notes.txt', 'targets/mine.txt', 'targets/macos-4.7/mine.txt']) {
      assert.equal(await readFile(path.join(reportDir, mine), 'utf8'), 'mine', mine);
    }
    assert.equal((await readReport(reportDir)).run.exitCode, 2);
    assert.deepEqual(
      (await readdir(parent)).filter((name) => name !== 'reports'),
      [],
      'no run folder is left beside it',
    );
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
    // A partial run never claims the whole: the verdict says how many applicable cells it checked.
    const applicable = report.results.filter((r) => r.status !== 'not-applicable').length;
    const checked = applicable - report.summary['not-covered'];
    const partial = `${checked} of ${applicable} applicable cells checked, and each conforms`;
    assert.ok(checked > 0 && checked < applicable, `${checked} of ${applicable}`);
    assert.match(stdout, new RegExp(`^result: ${partial}; the others were not run \\(exit 0\\)$`, 'm'));
    assert.doesNotMatch(stdout, /every applicable requirement conforms/);
    const summary = await readFile(path.join(reportDir, 'summary.md'), 'utf8');
    assert.match(summary, /^## ✓ .*: conforms where checked\n/);
    assert.ok(summary.includes(`**${partial}; the others were not run (exit 0)**`));
    const page = await readFile(path.join(reportDir, 'index.html'), 'utf8');
    assert.ok(page.includes('<strong>Conforms where checked</strong>'));
    assert.ok(page.includes(partial));
  });

  const emptySelections: [string, string[], string][] = [
    ['a tag no scenario has', ['--tags', '@req:NO-SUCH-REQ'], '--tags "@req:NO-SUCH-REQ"'],
    ['a shard beyond the scenarios', ['--shard', '999/999'], '--shard 999/999'],
  ];
  for (const [what, args, named] of emptySelections) {
    test(`${what}: no scenario ran, exit 2 in one line, unless --pass-with-no-scenarios`, async () => {
      const reportDir = await tempDir('cli-empty-');
      const refused = await cli(['run', '--platform', 'macos', ...args, '--report-dir', reportDir]);
      assert.equal(refused.code, 2, refused.stdout);
      assert.equal(
        refused.stderr.split('\n')[0],
        `connector-conformance: no scenario ran: ${named} selected none of the suite's scenarios on macos 4.7; a run that checked nothing passes nothing (--pass-with-no-scenarios accepts it)`,
      );
      assert.doesNotMatch(refused.stdout, /conforms/);
      const report = await readReport(reportDir);
      assert.equal(report.run.exitCode, 2);
      assert.equal(report.summary.scenarios, 0);
      const accepted = await cli([
        'run',
        '--platform',
        'macos',
        ...args,
        '--pass-with-no-scenarios',
        '--report-dir',
        reportDir,
      ]);
      assert.equal(accepted.code, 0, accepted.stderr);
      assert.match(
        accepted.stdout,
        /^result: 0 of \d+ applicable cells checked: nothing was checked, which --pass-with-no-scenarios accepts \(exit 0\)$/m,
      );
    });
  }
});

describe('listings', () => {
  test('run --help: the usage with every run flag, exit 0, and no run', async () => {
    const { code, stdout } = await cli(['run', '--help']);
    assert.equal(code, 0);
    for (const flag of [
      '--client',
      '--parallel',
      '--fresh-context',
      '--evidence',
      '--client-command',
      '--expect',
      '--baseline',
    ]) {
      assert.match(stdout, new RegExp(`^\\s+${flag}\\b`, 'm'), flag);
    }
  });

  // Every command of the declaration, so that a new one is covered as it is added.
  const commands = everyCommand(createProgram(() => {}))
    .slice(1)
    .map((command) => commandPath(command).split(' ').slice(1).join(' '));
  for (const command of commands) {
    test(`${command} --help: its usage, exit 0, nothing else done`, async () => {
      const words = command.split(' ');
      const asked = [
        [...words, '--help'],
        [...words, '-h'],
        ...(words.length === 1 ? [['help', command]] : []),
      ];
      for (const args of asked) {
        const { code, stdout, stderr } = await cli(args);
        assert.equal(code, 0, `${args.join(' ')}: ${stderr}`);
        assert.equal(stderr, '');
        assert.match(stdout, new RegExp(`^Usage: connector-conformance ${command} `), args.join(' '));
        assert.match(stdout, /^\s+-h, --help\b/m);
      }
    });
  }

  test('help: every command and the exit codes; without a command: the same on stderr, exit 2', async () => {
    const help = await cli(['help']);
    assert.equal(help.code, 0);
    for (const command of commands.filter((c) => !c.includes(' '))) {
      assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), command);
    }
    assert.match(help.stdout, /^Exit codes: 0 every applicable requirement conforms/m);
    assert.equal((await cli(['--help'])).stdout, help.stdout);
    assert.deepEqual(await cli([]), { code: 2, stdout: '', stderr: help.stdout });
  });

  test('--version and -V: the version in package.json', async () => {
    const { version } = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.match(version, /^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-V']) {
      assert.deepEqual(await cli([flag]), { code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

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

  test('serve-client: the first line says where, SIGTERM stops it with exit 0', async () => {
    const child = spawn(process.execPath, [
      BIN,
      'serve-client',
      '--platform',
      'macos',
      '--client-version',
      '4.7',
    ]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const url = /^ccdp\/1 listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
    assert.ok(url, line);
    const status = (await (await fetch(`${url}/ccdp/1/status`)).json()) as { client: unknown };
    assert.deepEqual(status.client, {
      name: 'Zscaler Client Connector (reference client)',
      version: '4.7',
      platform: 'macos',
    });
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  test('env up: the simulated world on 127.0.0.1, its URLs printed, SIGTERM stops it with exit 0', async () => {
    const child = spawn(process.execPath, [BIN, 'env', 'up']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout });
    let urls: { policyApi: string; identityProviders: Record<string, string> } | undefined;
    for await (const line of lines) {
      if (line.startsWith('{')) {
        urls = JSON.parse(line) as typeof urls;
        break;
      }
      assert.match(line, /^(policy API|identity provider) +.*http:\/\/127\.0\.0\.1:\d+/);
    }
    assert.ok(urls);
    assert.match(urls.policyApi, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(Object.keys(urls.identityProviders).sort(), [
      'acme',
      'globex',
      'hooli',
      'initech',
      'soylent',
      'umbrella',
      'vandelay',
      'wayne',
    ]);
    const acme = urls.identityProviders.acme ?? '';
    const discovery = (await (await fetch(`${acme}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
    };
    assert.equal(discovery.issuer, acme);
    // The policy API answers as it does for a client: an unenrolled device is refused, in JSON.
    const refused = await fetch(`${urls.policyApi}/zcc/api/v1/devices/current`);
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('content-type') ?? '', /json/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  test('env with a bad action or flag: exit 2 and one line', async () => {
    assert.deepEqual(await cli(['env', 'down']), {
      code: 2,
      stdout: '',
      stderr:
        'connector-conformance env: unknown command "down" (the commands: up, help; connector-conformance help env says more)\n',
    });
    const { code, stderr } = await cli(['env', 'up', '--port', 'x']);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      'connector-conformance env up: --port: expected a port from 0 (free ports) to 65000 (got "x")\n',
    );
  });

  test('serve-client with bad flags: exit 2 and one line naming the flag', async () => {
    const { code, stderr } = await cli(['serve-client', '--platform', 'linux', '--client-version', '4.7']);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      'connector-conformance serve-client: --platform: expected windows or macos (got "linux")\n',
    );
    const noVersion = await cli(['serve-client', '--platform', 'windows']);
    assert.match(
      noVersion.stderr,
      /^connector-conformance serve-client: --client-version: expected a version like 4\.7 \(got ""\)\n$/,
    );
  });

  test('an unknown command: exit 2 and one line naming the commands', async () => {
    const { code, stderr } = await cli(['certify']);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /^connector-conformance: unknown command "certify" \(the commands: run, merge, .*; connector-conformance help says more\)\n$/,
    );
  });
});
