/**
 * The package as a vendor or a QA team installs it: `npm pack`, then `npm install -D` of the tarball in
 * a fresh project, and the commands run there, on Node 24, the latest Node 22 and (refused) Node 20.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { commandPath, createProgram, everyCommand } from '../src/cli/program.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import type { ConformanceReport } from '../src/report/types.ts';
import { cli, tempDir } from './support/cli.ts';
import { nodeBinary } from './support/node-versions.ts';
import { readValidReport } from './support/reports.ts';
import { verdicts } from './support/runs.ts';

const exec = promisify(execFile);
const MANIFEST = (await import('../package.json', { with: { type: 'json' } })).default;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `command args` in `cwd`, never throwing: its exit code and output. */
async function sh(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Outcome> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      // The Node running this test first on PATH, for npx and the bin's `#!/usr/bin/env node`.
      env: {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`,
        NO_COLOR: '1',
        ...env,
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as Outcome;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function succeeded(outcome: Outcome, what: string): Outcome {
  assert.equal(outcome.code, 0, `${what} exited ${outcome.code}:\n${outcome.stderr}\n${outcome.stdout}`);
  return outcome;
}

let tarball: string;
let project: string;
/** The bin as npx runs it in the project, on the Node running this test (24). */
let bin: string;
/** The verdicts of the default run from the clone: what the installed package must reach. */
let cloneVerdicts: string[];

before(async () => {
  const packed = await tempDir('pack-');
  // prepack compiles dist/ first (scripts/build.ts).
  succeeded(await sh('npm', ['pack', '--pack-destination', packed], PACKAGE_ROOT), 'npm pack');
  tarball = path.join(packed, `${MANIFEST.name}-${MANIFEST.version}.tgz`);
  project = await tempDir('vendor-project-');
  await writeFile(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'vendor-project', private: true, type: 'module' }),
  );
  // TypeScript and Node's types for the vendor's own driver; the versions the clone is checked with.
  const devDependencies = MANIFEST.devDependencies as Record<string, string>;
  succeeded(
    await sh(
      'npm',
      [
        'install',
        '-D',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        tarball,
        `typescript@${devDependencies.typescript}`,
        `@types/node@${devDependencies['@types/node']}`,
      ],
      project,
    ),
    'npm install of the tarball',
  );
  for (const file of ['my-driver.ts', 'tsconfig.json']) {
    await copyFile(
      path.join(PACKAGE_ROOT, 'test', 'fixtures', 'vendor-project', file),
      path.join(project, file),
    );
  }
  bin = path.join(project, 'node_modules', '.bin', 'connector-conformance');
  const reportDir = await tempDir('clone-run-');
  succeeded(await cli(['run', '--report-dir', reportDir]), 'the clone run');
  cloneVerdicts = verdicts(await readValidReport(reportDir));
});

describe('the packed tarball', () => {
  it('holds what a user runs, a LICENSE, and no tests, sources or screenshots', async () => {
    const { stdout } = succeeded(await sh('tar', ['-tzf', tarball], PACKAGE_ROOT), 'tar -t');
    const files = stdout.trim().split('\n');
    for (const needed of [
      'package/LICENSE',
      'package/bin/connector-conformance.js',
      'package/dist/src/index.js',
      'package/dist/src/index.d.ts',
      'package/features/requirements.yaml',
      'package/fixtures/organisations/acme.yaml',
    ]) {
      assert.ok(files.includes(needed), `${needed} is not in the tarball`);
    }
    const unwanted = files.filter(
      (file) =>
        file.startsWith('package/test/') ||
        file.startsWith('package/scripts/') ||
        file.startsWith('package/.ci/') ||
        file.endsWith('.png') ||
        (file.endsWith('.ts') && !file.endsWith('.d.ts')),
    );
    assert.deepEqual(unwanted, []);
    const { size } = await stat(tarball);
    assert.ok(size > 0);
    process.stdout.write(`# tarball: ${path.basename(tarball)}, ${size} bytes, ${files.length} files\n`);
  });
});

describe('installed in a fresh project (Node 24)', () => {
  it('--version prints the package version', async () => {
    const { stdout } = succeeded(await sh(process.execPath, [bin, '--version'], project), '--version');
    assert.equal(stdout.trim(), MANIFEST.version);
  });

  it('npx connector-conformance run exits 0 with the verdicts of the clone', async () => {
    const outcome = succeeded(
      await sh('npx', ['connector-conformance', 'run', '--report-dir', 'npx-run'], project),
      'npx run',
    );
    assert.match(outcome.stdout, /every applicable requirement conforms/);
    assert.deepEqual(verdicts(await readValidReport(path.join(project, 'npx-run'))), cloneVerdicts);
  });

  it('a driver module written in the project runs the suite with the same verdicts', async () => {
    succeeded(
      await sh(
        process.execPath,
        [bin, 'run', '--client', 'module:./my-driver.ts', '--report-dir', 'module-run'],
        project,
      ),
      'run --client module:./my-driver.ts',
    );
    const report: ConformanceReport = await readValidReport(path.join(project, 'module-run'));
    assert.equal(report.client.driver, 'module:./my-driver.ts');
    assert.deepEqual(verdicts(report), cloneVerdicts);
  });

  it('the driver module, importing the public types, passes tsc --noEmit', async () => {
    succeeded(
      await sh(path.join(project, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.'], project),
      'tsc',
    );
  });

  it('every command has its --help, generated from its declaration', async () => {
    for (const command of everyCommand(createProgram(() => {})).slice(1)) {
      const words = commandPath(command).split(' ').slice(1);
      const { stdout } = succeeded(
        await sh(process.execPath, [bin, ...words, '--help'], project),
        `${words.join(' ')} --help`,
      );
      assert.match(stdout, new RegExp(`^Usage: connector-conformance ${words.join(' ')} `), words.join(' '));
    }
  });

  it('every `npx connector-conformance` line of the README names a command and flags the installed package has', async () => {
    const readme = await readFile(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const lines = [...readme.matchAll(/^npx connector-conformance (.*)$/gm)].map(([, rest]) => rest ?? '');
    assert.ok(lines.length > 20, `${lines.length} lines`);
    const helps = new Map<string, string>();
    const program = createProgram(() => {});
    for (const line of lines) {
      // The command the line names: its words down the declaration (`env up`, `bridge webdriver`).
      const command: string[] = [];
      let declared = program;
      for (const word of line.split(/\s+/)) {
        const sub = declared.commands.find((candidate) => candidate.name() === word);
        if (sub === undefined) break;
        command.push(word);
        declared = sub;
      }
      // `help [COMMAND]` is commander's own: the program's help names its flags (--version).
      const key = command.length === 0 && line.startsWith('help ') ? 'help' : command.join(' ');
      assert.ok(key !== '', `README: npx connector-conformance ${line}: no such command`);
      if (!helps.has(key)) {
        const { stdout } = succeeded(
          await sh(process.execPath, [bin, ...command, '--help'], project),
          `${key} --help`,
        );
        helps.set(key, stdout);
      }
      for (const flag of line.match(/--[a-z][a-z-]*/g) ?? []) {
        assert.ok(
          helps.get(key)?.includes(flag),
          `README: npx connector-conformance ${line}: ${key} has no ${flag}`,
        );
      }
    }
  });

  it('a run that needs an optional dependency not installed says what to install, in one line', async () => {
    const outcome = await sh(
      process.execPath,
      [bin, 'run', '--client', 'ui', '--report-dir', 'ui-run'],
      project,
    );
    assert.equal(outcome.code, 2);
    assert.equal(
      outcome.stderr.split('\n')[0],
      'connector-conformance: playwright-core is not installed; the browser (--client ui, ui:URL, --user-agent browser) run on it: npm install -D playwright-core',
    );
  });
});

describe('on other Node.js versions', () => {
  it('the latest Node 22 runs the installed package', async () => {
    const node22 = await nodeBinary(22);
    const { stdout } = succeeded(await sh(node22, ['--version'], project), 'node --version');
    assert.match(stdout, /^v22\./);
    const outcome = succeeded(
      await sh(node22, [bin, 'run', '--report-dir', 'node22-run'], project),
      'run on Node 22',
    );
    assert.match(outcome.stdout, /every applicable requirement conforms/);
    assert.deepEqual(verdicts(await readValidReport(path.join(project, 'node22-run'))), cloneVerdicts);
  });

  it('Node 20: the bin prints one line naming the Node.js needed and exits 2', async () => {
    const node20 = await nodeBinary(20);
    const outcome = await sh(node20, [bin, 'run'], project);
    assert.equal(outcome.code, 2);
    assert.match(
      outcome.stderr,
      /^connector-conformance: needs Node\.js 22\.22 or later \(22\.x, 24\.x or 26\+\); this is Node\.js 20\.\d+\.\d+\n$/,
    );
    assert.equal(existsSync(path.join(project, 'reports')), false, 'the refused run wrote a report folder');
  });
});
