/**
 * Wall-clock cost of the full in-process conformance run, cold: a fresh `connector-conformance run`
 * process each time (Node start, TypeScript stripping, IdPs and policy API start, four targets).
 * Usage: npm run bench:run [-- --runs N] ; prints a Markdown table for BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/package-layout.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    parallel: { type: 'string', default: '0' },
    client: { type: 'string', default: 'reference' },
    evidence: { type: 'string' },
  },
});
const runArgs = [
  '--parallel',
  values.parallel ?? '0',
  '--client',
  values.client ?? 'reference',
  ...(values.evidence ? ['--evidence', values.evidence] : []),
];
const runs = Number(values.runs);

interface Sample {
  wallMs: number;
  maxRssMb: number;
  exitCode: number | null;
}

const TIME = '/usr/bin/time';

async function runOnce(args: string[]): Promise<Sample> {
  const reportDir = await mkdtemp(path.join(tmpdir(), 'bench-'));
  const command = [
    process.execPath,
    path.join(PACKAGE_ROOT, 'bin/connector-conformance.js'),
    'run',
    ...args,
    '--report-dir',
    reportDir,
  ];
  // GNU time reports the child's peak resident set (%M, kB) on stderr.
  const withTime = existsSync(TIME);
  const child = withTime
    ? spawn(TIME, ['-f', 'maxrss=%M', ...command], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(command[0] as string, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const started = process.hrtime.bigint();
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  await rm(reportDir, { recursive: true, force: true });
  const rss = /maxrss=(\d+)/.exec(stderr)?.[1];
  return { wallMs, maxRssMb: rss ? Number(rss) / 1024 : Number.NaN, exitCode };
}

function stats(samples: number[]): { min: number; median: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { min: sorted[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 };
}

const samples: Sample[] = [];
for (let i = 0; i < runs; i += 1) samples.push(await runOnce(runArgs));
const failed = samples.filter((s) => s.exitCode !== 0);
if (failed.length > 0) {
  process.stderr.write(`bench: ${failed.length} run(s) did not exit 0; the figures are not valid\n`);
  process.exitCode = 1;
}
const wall = stats(samples.map((s) => s.wallMs));
const rss = stats(samples.map((s) => s.maxRssMb));
const cpu = cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(
  [
    `Full run, all platforms (Windows 4.7/4.6/4.5, macOS 4.7), cold process, ${runArgs.join(' ')}, ${runs} runs`,
    `machine: ${availableParallelism()} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    '',
    '| measure | min | median | max |',
    '| --- | --- | --- | --- |',
    `| wall time (s) | ${(wall.min / 1000).toFixed(2)} | ${(wall.median / 1000).toFixed(2)} | ${(wall.max / 1000).toFixed(2)} |`,
    `| peak RSS of the run process (MiB) | ${rss.min.toFixed(0)} | ${rss.median.toFixed(0)} | ${rss.max.toFixed(0)} |`,
    '',
  ].join('\n'),
);
