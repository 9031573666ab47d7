/**
 * Throughput of `explore` against the clean reference client: sequences and actions per second, in
 * process and through the browser (`--client ui`), each a cold `connector-conformance explore` process
 * with the default budget (200 sequences of up to 20 actions, 60 s). Issue 14's target: at least 200
 * sequences within 60 s in process on this 2-core machine.
 * Usage: node scripts/node24.mjs scripts/bench-explore.ts [--seeds 1,2,3] [--clients reference,ui]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/package-layout.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3' },
    clients: { type: 'string', default: 'reference,ui' },
  },
});

interface Sample {
  client: string;
  seed: string;
  wallS: number;
  sequences: number;
  steps: number;
  seconds: number;
  exitCode: number | null;
}

async function exploreOnce(client: string, seed: string): Promise<Sample> {
  const reportDir = await mkdtemp(path.join(tmpdir(), 'bench-explore-'));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      path.join(PACKAGE_ROOT, 'bin/connector-conformance.js'),
      'explore',
      '--client',
      client,
      '--seed',
      seed,
      '--report-dir',
      reportDir,
    ],
    { stdio: 'ignore' },
  );
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallS = (performance.now() - started) / 1000;
  const result = JSON.parse(await readFile(path.join(reportDir, 'explore.json'), 'utf8')) as {
    sequences: number;
    steps: number;
    seconds: number;
  };
  await rm(reportDir, { recursive: true, force: true });
  return {
    client,
    seed,
    wallS,
    sequences: result.sequences,
    steps: result.steps,
    seconds: result.seconds,
    exitCode,
  };
}

console.log(`${availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString()}\n`);
console.log(
  '| client | seed | exit | sequences | actions | exploring | sequences/s | actions/s | wall (process) |',
);
console.log(
  '| ------ | ---- | ---- | --------- | ------- | --------- | ----------- | --------- | -------------- |',
);
for (const client of (values.clients ?? '').split(',')) {
  for (const seed of (values.seeds ?? '').split(',')) {
    const s = await exploreOnce(client, seed);
    console.log(
      `| \`${s.client}\` | ${s.seed} | ${s.exitCode} | ${s.sequences} | ${s.steps} | ${s.seconds.toFixed(1)} s | ${(s.sequences / s.seconds).toFixed(1)} | ${(s.steps / s.seconds).toFixed(1)} | ${s.wallS.toFixed(1)} s |`,
    );
  }
}
