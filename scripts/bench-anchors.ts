/**
 * The harness beside the raw anchors (issue 15), interleaved in one sitting so that the ratios hold
 * on a machine whose speed drifts: round after round, the raw HTTP anchor, the in-process run serial
 * and with `--parallel 2`, the run through ccdp/1 (`--client-command` serve-client) serial and with
 * `--parallel 2`; the raw Playwright anchor, and `run --client ui --platform macos` with the default
 * evidence and with `--evidence none`. With `--ui-parallel`, also the full `--client ui` run serial and
 * with `--parallel 2` (about 5 minutes a round).
 *
 * Each anchor does one complete partner addition per scenario of the harness run it is set against
 * (scripts/anchors/), so a ratio compares the same number of flows. Every harness run must exit 0 with
 * the verdicts of the serial in-process run of the same client, or the script says which one differs
 * and exits 1. Time to the first scenario: from the spawn of the process to the first
 * testCaseStarted of its messages.
 * Usage: npm run bench [-- --rounds 3] [--ui-parallel]; prints Markdown for BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/package-layout.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, 'ui-parallel': { type: 'boolean', default: false } },
});
const rounds = Number(values.rounds);

const BIN = path.join(PACKAGE_ROOT, 'bin/connector-conformance.js');
const SERVE_CLIENT = `"${process.execPath}" "${BIN}" serve-client --platform {platform} --client-version {version} --port {port}`;

interface HarnessRun {
  wallMs: number;
  firstScenarioMs: number;
  scenarios: number;
  verdicts: string;
}

function spawnTimed(args: string[]): Promise<{ wallMs: number; stdout: string; startedAt: number }> {
  const startedAt = Date.now();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve({ wallMs, stdout, startedAt });
      else reject(new Error(`${args.slice(1).join(' ')}: exit ${code}\n${stderr.slice(-2000)}`));
    }),
  );
}

async function harness(args: string[]): Promise<HarnessRun> {
  const reportDir = await mkdtemp(path.join(tmpdir(), 'bench-anchors-'));
  try {
    const { wallMs, startedAt } = await spawnTimed([BIN, 'run', ...args, '--report-dir', reportDir]);
    const report = JSON.parse(await readFile(path.join(reportDir, 'conformance.json'), 'utf8')) as {
      results: { requirement: string; platform: string; clientVersion: string; status: string }[];
    };
    let first = Number.POSITIVE_INFINITY;
    let scenarios = 0;
    const targets = path.join(reportDir, 'targets');
    for (const target of await readdir(targets)) {
      const messages = await readFile(path.join(targets, target, 'messages.ndjson'), 'utf8');
      for (const line of messages.split('\n')) {
        if (!line.includes('"testCaseStarted"')) continue;
        const { seconds, nanos } = (
          JSON.parse(line) as { testCaseStarted: { timestamp: { seconds: number; nanos: number } } }
        ).testCaseStarted.timestamp;
        first = Math.min(first, seconds * 1000 + nanos / 1e6);
        scenarios += 1;
      }
    }
    const verdicts = report.results
      .map((r) => `${r.requirement} ${r.platform} ${r.clientVersion} ${r.status}`)
      .sort()
      .join('\n');
    return { wallMs, firstScenarioMs: first - startedAt, scenarios, verdicts };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

/** The anchor's wall time, and when it says so, the time to its first flow (its own clock, from its start). */
async function anchor(script: string, flows: number): Promise<[number, number | undefined]> {
  const { wallMs, stdout } = await spawnTimed([
    path.join(PACKAGE_ROOT, 'scripts/anchors', script),
    '--flows',
    String(flows),
  ]);
  return [wallMs, (JSON.parse(stdout) as { firstFlowMs?: number }).firstFlowMs];
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Row {
  name: string;
  against: string;
  samples: number[];
  first: number[];
}
const rows = new Map<string, Row>();
function record(name: string, against: string, wallMs: number, firstMs?: number): void {
  const row = rows.get(name) ?? { name, against, samples: [], first: [] };
  row.samples.push(wallMs);
  if (firstMs !== undefined) row.first.push(firstMs);
  rows.set(name, row);
}

const mismatches: string[] = [];
const reference = new Map<string, string>();
function sameVerdicts(name: string, group: string, run: HarnessRun): void {
  const expected = reference.get(group);
  if (expected === undefined) reference.set(group, run.verdicts);
  else if (expected !== run.verdicts) mismatches.push(`${name}: verdicts differ from the serial run's`);
}

const IN_PROCESS = 'run (in process)';
const UI_MACOS = 'run --client ui --platform macos';
for (let round = 1; round <= rounds; round += 1) {
  process.stderr.write(`bench:anchors round ${round}/${rounds}\n`);
  const serial = await harness([]);
  sameVerdicts(IN_PROCESS, 'reference', serial);
  record(IN_PROCESS, 'http', serial.wallMs, serial.firstScenarioMs);
  record('raw HTTP anchor', 'http', ...(await anchor('raw-http.ts', serial.scenarios)));
  const parallel = await harness(['--parallel', '2']);
  sameVerdicts('run --parallel 2', 'reference', parallel);
  record('run --parallel 2', 'http', parallel.wallMs, parallel.firstScenarioMs);
  const remote = await harness(['--client-command', SERVE_CLIENT]);
  sameVerdicts('run --client-command', 'reference', remote);
  record('run --client-command (serve-client)', 'http', remote.wallMs, remote.firstScenarioMs);
  const remoteParallel = await harness(['--client-command', SERVE_CLIENT, '--parallel', '2']);
  sameVerdicts('run --client-command --parallel 2', 'reference', remoteParallel);
  record('run --client-command (serve-client) --parallel 2', 'http', remoteParallel.wallMs);

  const ui = await harness(['--client', 'ui', '--platform', 'macos']);
  sameVerdicts(UI_MACOS, 'ui-macos', ui);
  record(`${UI_MACOS} (evidence all, the default)`, 'playwright', ui.wallMs, ui.firstScenarioMs);
  record('raw Playwright anchor', 'playwright', ...(await anchor('raw-playwright.ts', ui.scenarios)));
  const bare = await harness(['--client', 'ui', '--platform', 'macos', '--evidence', 'none']);
  sameVerdicts(`${UI_MACOS} --evidence none`, 'ui-macos', bare);
  record(`${UI_MACOS} --evidence none`, 'playwright', bare.wallMs);
  if (values['ui-parallel']) {
    const full = await harness(['--client', 'ui']);
    sameVerdicts('run --client ui', 'ui', full);
    record('run --client ui (all targets)', 'ui', full.wallMs);
    const fullParallel = await harness(['--client', 'ui', '--parallel', '2']);
    sameVerdicts('run --client ui --parallel 2', 'ui', fullParallel);
    record('run --client ui --parallel 2 (all targets)', 'ui', fullParallel.wallMs);
  }
}

const anchors = { http: rows.get('raw HTTP anchor'), playwright: rows.get('raw Playwright anchor') };
const lines = [
  `${rounds} rounds, interleaved; ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`,
  '',
  '| run | median wall | min–max | × anchor | first scenario or flow (median) |',
  '| --- | --- | --- | --- | --- |',
];
for (const row of rows.values()) {
  const base =
    row.against === 'http' ? anchors.http : row.against === 'playwright' ? anchors.playwright : undefined;
  const ratio = base ? `${(median(row.samples) / median(base.samples)).toFixed(2)}×` : '';
  const sorted = [...row.samples].sort((a, b) => a - b);
  lines.push(
    `| ${row.name} | ${seconds(median(row.samples))} | ${seconds(sorted[0] ?? 0)}–${seconds(sorted.at(-1) ?? 0)} | ${ratio} | ${row.first.length ? seconds(median(row.first)) : ''} |`,
  );
}
const speedup = (serial: string, parallel: string) => {
  const [a, b] = [rows.get(serial), rows.get(parallel)];
  return a && b ? `${(median(a.samples) / median(b.samples)).toFixed(2)}×` : 'n/a';
};
lines.push(
  '',
  `--parallel 2 speed-up: in process ${speedup(IN_PROCESS, 'run --parallel 2')}, --client-command ${speedup('run --client-command (serve-client)', 'run --client-command (serve-client) --parallel 2')}, --client ui ${speedup('run --client ui (all targets)', 'run --client ui --parallel 2 (all targets)')}`,
  `evidence tax (macOS, --client ui): ${speedup(`${UI_MACOS} (evidence all, the default)`, `${UI_MACOS} --evidence none`)} the time of --evidence none`,
  '',
);
process.stdout.write(lines.join('\n'));
if (mismatches.length > 0) {
  process.stderr.write(`bench:anchors: ${mismatches.join('; ')}\n`);
  process.exitCode = 1;
}
