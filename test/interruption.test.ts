/**
 * A run stopped by SIGINT, SIGTERM or SIGHUP, or by the process that started it going away, at
 * several moments, in process, through the browser (--client ui) and with client processes
 * (--client-command): it exits 128 + the signal's number, writes its report marked interrupted,
 * files nothing the interruption caused against the (conforming) reference client, and leaves no
 * process behind (so no listening socket either). Every process a run starts inherits its
 * environment, so a marker in it finds them all: workers, clients, their shells, Chromium.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { ConformanceReport } from '../src/report/types.ts';
import { BIN, tempDir } from './support/cli.ts';

const MARKER = 'CONNECTOR_CONFORMANCE_TEST_RUN';
const CLIENT_COMMAND = `"${process.execPath}" "${BIN}" serve-client --platform {platform} --client-version {version} --port {port}`;
const EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

interface StartedRun {
  child: ChildProcess;
  marker: string;
  reportDir: string;
  /** What the run printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once `ready(output)` holds; rejects if the run ends first. */
  until(ready: (output: string) => boolean, what: string): Promise<void>;
  /**
   * Resolves with how the run exited. A run that has not exited `withinMs` after this is asked is
   * killed, and the test fails with what it printed, instead of hanging the suite.
   */
  ended(withinMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** How long a run may take to exit once stopped (or, unstopped, to finish a few scenarios). */
const EXIT_WITHIN_MS = 60_000;

async function startRun(
  args: string[],
  launcher: (argv: string[]) => string[] = (argv) => argv,
  { reportDir, env = {} }: { reportDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<StartedRun> {
  reportDir ??= path.join(await tempDir('interrupt-'), 'reports');
  const marker = randomUUID();
  const argv = launcher([process.execPath, BIN, 'run', '--report-dir', reportDir, '--no-color', ...args]);
  const [command, ...rest] = argv as [string, ...string[]];
  const child = spawn(command, rest, {
    env: { ...process.env, ...env, NO_COLOR: '1', [MARKER]: marker },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    marker,
    reportDir,
    output: () => text,
    until(ready, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!ready(text)) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (waiters.delete(check)) reject(new Error(`the run ended before ${what}:\n${text}`));
        });
      });
    },
    async ended(withinMs = EXIT_WITHIN_MS) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the run had not exited ${withinMs} ms later; it printed:\n${text}`));
        }, withinMs);
      });
      try {
        return await Promise.race([exited, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The scenario dots the progress line shows so far. */
const dots = (output: string) => (output.match(/^[.]+/gm) ?? []).join('').length;

/** Processes whose environment carries the run's marker. */
async function markedProcesses(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (!environ.split('\0').includes(`${MARKER}=${marker}`)) continue;
    const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const state = (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.[0];
    if (state !== undefined && state !== 'Z') found.push(`${pid}: ${command.replaceAll('\0', ' ')}`);
  }
  return found;
}

/** Processes the run left: its exit hooks' kills take a moment to land, so wait for them a little. */
async function leftBehind(marker: string): Promise<string[]> {
  await waitFor(async () => (await markedProcesses(marker)).length === 0, 'the processes to end', 5000).catch(
    () => {},
  );
  return markedProcesses(marker);
}

async function readReport(run: StartedRun): Promise<ConformanceReport> {
  return JSON.parse(
    await readFile(path.join(run.reportDir, 'conformance.json'), 'utf8'),
  ) as ConformanceReport;
}

/** Stops `run` with `signal` once `ready` holds, then checks everything an interrupted run must show. */
async function interruptAndCheck(
  run: StartedRun,
  signal: keyof typeof EXIT_CODES,
  ready: (output: string) => boolean,
  moment: string,
): Promise<ConformanceReport> {
  await run.until(ready, moment);
  run.child.kill(signal);
  const { code } = await run.ended();
  assert.equal(code, EXIT_CODES[signal], run.output());
  return checkInterrupted(run, signal);
}

async function checkInterrupted(run: StartedRun, by: keyof typeof EXIT_CODES): Promise<ConformanceReport> {
  assert.deepEqual(await leftBehind(run.marker), [], 'processes the run started are still running');
  const report = await readReport(run);
  assert.equal(report.run.interrupted?.by, by);
  assert.equal(report.run.exitCode, EXIT_CODES[by]);
  assert.match(report.run.errors[0] ?? '', new RegExp(`interrupted \\(${by}\\)`));
  for (const cell of report.results) {
    const where = `${cell.requirement} on ${cell.platform} ${cell.clientVersion}`;
    // The reference client conforms: a nonconforming or blocked cell here is the shutdown's doing.
    assert.ok(
      !['nonconforming', 'blocked'].includes(cell.status),
      `${where}: ${cell.status}: ${cell.message}`,
    );
    if (cell.status === 'error' || cell.status === 'not-covered') {
      assert.match(cell.message ?? '', /interrupted/, `${where}: ${cell.status}: ${cell.message}`);
    }
  }
  // The run's fresh folder was moved into place: nothing of it is left beside the report folder.
  const beside = await readdir(path.dirname(run.reportDir));
  assert.deepEqual(
    beside.filter((name) => name.includes('.run-')),
    [],
  );
  assert.match(run.output(), new RegExp(`the run was interrupted \\(${by}\\)`));
  assert.doesNotMatch(run.output(), /every applicable requirement conforms|does not conform/);
  return report;
}

describe('a run interrupted', () => {
  test('in process, by SIGTERM in the middle of the run: exit 143, what ran judged, the rest interrupted', async () => {
    const run = await startRun([]);
    const report = await interruptAndCheck(run, 'SIGTERM', (output) => dots(output) >= 5, '5 scenarios');
    assert.ok(report.summary.conforms > 0, 'what ran before the interruption is judged');
    assert.ok(report.summary['not-covered'] > 0, 'what had not run is not-covered');
  });

  test('in process, by SIGINT as it starts (its report folder opened, no scenario run)', async () => {
    const run = await startRun([]);
    await waitFor(() => stagingFolders(run.reportDir).length > 0, 'the run to open its report folder');
    run.child.kill('SIGINT');
    assert.equal((await run.ended()).code, 130, run.output());
    await checkInterrupted(run, 'SIGINT');
  });

  test('in process, by SIGHUP after its first target', async () => {
    const run = await startRun([]);
    await interruptAndCheck(
      run,
      'SIGHUP',
      (output) => /windows 4\.7: \d+ scenarios/.test(output),
      'a target',
    );
  });

  test('with --parallel 2, by SIGINT: the workers end their targets as interrupted and exit', async () => {
    const run = await startRun(['--parallel', '2']);
    await interruptAndCheck(run, 'SIGINT', (output) => dots(output) >= 10, '10 scenarios');
  });

  test('with --client-command, by SIGTERM: every client process stopped, nothing filed against the client', async () => {
    const run = await startRun(['--client-command', CLIENT_COMMAND]);
    await interruptAndCheck(run, 'SIGTERM', (output) => dots(output) >= 3, '3 scenarios');
  });

  test('with --client-command and --parallel 2, by SIGINT', async () => {
    const run = await startRun(['--parallel', '2', '--client-command', CLIENT_COMMAND]);
    await interruptAndCheck(run, 'SIGINT', (output) => dots(output) >= 6, '6 scenarios');
  });

  test('with --client ui, by SIGTERM: the harness closes the browser, and the step in flight is not blocked', async () => {
    const run = await startRun(['--client', 'ui']);
    await interruptAndCheck(run, 'SIGTERM', (output) => dots(output) >= 3, '3 scenarios');
  });

  test('with --client ui, by SIGINT before its first scenario finished', async () => {
    const run = await startRun(['--client', 'ui']);
    await waitFor(() => stagingFolders(run.reportDir).length > 0, 'the run to open its report folder');
    run.child.kill('SIGINT');
    assert.equal((await run.ended()).code, 130, run.output());
    await checkInterrupted(run, 'SIGINT');
  });

  test('with a handle left open after its report (a harness bug): it exits anyway, naming what was left', async () => {
    // A timer that never ends, started in the run's process before the harness: as a leaked server would.
    // NODE_OPTIONS splits at spaces: the module has none.
    const leak = '--import=data:text/javascript,setInterval(()=>{},60000)';
    const run = await startRun([], undefined, { env: { NODE_OPTIONS: leak } });
    await run.until((output) => dots(output) >= 3, '3 scenarios');
    run.child.kill('SIGTERM');
    assert.equal((await run.ended(30_000)).code, 143, run.output());
    assert.match(run.output(), /left handles open \([^)]*Timeout[^)]*\); exiting with 143 anyway/);
    await checkInterrupted(run, 'SIGTERM');
  });

  test('when the process that started it goes away (npx or a shell killed): it stops as on SIGHUP', async () => {
    // `; true` keeps sh from exec'ing the run: sh stays its parent, as npx is.
    const run = await startRun([], (argv) => [
      'sh',
      '-c',
      `${argv.map((arg) => `'${arg}'`).join(' ')}; true`,
    ]);
    await run.until((output) => dots(output) >= 3, '3 scenarios');
    const [runner] = await markedProcesses(run.marker);
    assert.ok(runner !== undefined);
    run.child.kill('SIGKILL');
    await waitFor(async () => (await markedProcesses(run.marker)).length === 0, 'the run to stop');
    const report = await readReport(run);
    assert.equal(report.run.interrupted?.by, 'SIGHUP');
    assert.equal(report.run.exitCode, 129);
  });

  test('by a second signal: it stops at once without a report, takes its clients along, and the next run clears what it left', async () => {
    const run = await startRun(['--client-command', CLIENT_COMMAND]);
    await run.until((output) => dots(output) >= 2, '2 scenarios');
    run.child.kill('SIGTERM');
    await run.until((output) => output.includes('stopping the run'), 'the first signal to be seen');
    run.child.kill('SIGTERM');
    assert.equal((await run.ended()).code, 143, run.output());
    assert.match(run.output(), /again: stopping at once, without a report/);
    assert.deepEqual(await leftBehind(run.marker), []);
    assert.equal(stagingFolders(run.reportDir).length, 1, 'the stopped run left its fresh folder');
    const next = await startRun(
      ['--platform', 'windows', '--client-version', '4.7', '--tags', '@req:PA-OPEN'],
      undefined,
      {
        reportDir: run.reportDir,
      },
    );
    assert.equal((await next.ended()).code, 0, next.output());
    assert.deepEqual(stagingFolders(run.reportDir), []);
  });
});

/** The fresh folders of runs beside `reportDir` (folder.ts). */
function stagingFolders(reportDir: string): string[] {
  const prefix = `.${path.basename(reportDir)}.run-`;
  try {
    return readdirSync(path.dirname(reportDir)).filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
}

/** Polls `condition` until it holds (a file or a process this test cannot be told about). */
async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
