#!/usr/bin/env node
// The test StrykerJS's command runner runs for each mutant (`npm run mutation`, stryker.config.mjs):
// the in-process conformance run against the reference client, its reports in a fresh temporary
// folder. Exits 0 exactly when the run exited 0; otherwise with the run's exit code (1: a requirement
// did not conform, 2: the harness failed, 3: the run died on a signal), printing the cells that did
// not conform, which Stryker keeps as the killed mutant's reason.
// Stryker names the active mutant in __STRYKER_ACTIVE_MUTANT__; the run inherits this environment,
// and the instrumented client code reads it. Plain JavaScript on purpose: it needs no type stripping.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reportDir = await mkdtemp(join(tmpdir(), 'conformance-mutation-'));
const [major, minor] = process.versions.node.split('.').map(Number);
const recent = major > 22 || (major === 22 && minor >= 18);
// On a Node without type stripping, node24.mjs runs the harness on Node 24.
const runArgs = ['bin/connector-conformance.js', 'run', '--report-dir', reportDir, '--no-color'];
const args = recent ? runArgs : ['scripts/node24.mjs', ...runArgs];

let out = '';
const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
child.stdout.on('data', (chunk) => {
  out += chunk;
});
child.stderr.on('data', (chunk) => {
  out += chunk;
});
const code = await new Promise((resolve) => {
  child.on('error', (error) => {
    out += `mutation-test: could not start the run: ${error.message}\n`;
    resolve(2);
  });
  child.on('close', (status, signal) => resolve(signal ? 3 : (status ?? 2)));
});

if (code !== 0) process.stdout.write(`${await explain(code)}\n`);
await rm(reportDir, { recursive: true, force: true });
process.exit(code);

/** What the run found, in a few lines: its cells that did not conform, else the end of its output. */
async function explain(exitCode) {
  const head = `conformance run exited ${exitCode}`;
  try {
    const report = JSON.parse(await readFile(join(reportDir, 'conformance.json'), 'utf8'));
    const cells = report.results
      .filter((r) => !['conforms', 'not-applicable', 'not-covered'].includes(r.status))
      .map((r) => `${r.status} ${r.requirement} ${r.platform}-${r.clientVersion}`);
    const errors = (report.run?.errors ?? []).map((e) => `run error: ${e}`);
    const lines = [...cells, ...errors];
    if (lines.length > 0) return [head, ...lines.slice(0, 40)].join('\n');
  } catch {
    // no report: the run stopped before writing it
  }
  return [head, ...out.trimEnd().split('\n').slice(-20)].join('\n');
}
