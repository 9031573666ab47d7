/**
 * `npx cucumber-js` in the clone: cucumber.mjs gives Cucumber's own command line the suite as the
 * runner gives it the default target, every step is found, and the process ends by itself.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../src/package-layout.ts';

const CUCUMBER = path.join(PACKAGE_ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');

/** cucumber-js from the project's folder; a process that does not end fails the test at its timeout. */
async function cucumberJs(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CUCUMBER, ...args], {
      cwd: PACKAGE_ROOT,
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: `${failed.stdout}${failed.stderr}` };
  }
}

test('cucumber-js --dry-run: every scenario of the default target, every step defined', async () => {
  const { code, stdout } = await cucumberJs(['--dry-run']);
  assert.equal(code, 0, stdout);
  const scenarios = Number(/^(\d+) scenarios \(\1 skipped\)$/m.exec(stdout)?.[1]);
  assert.ok(scenarios > 20, stdout);
  assert.doesNotMatch(stdout, /undefined|ambiguous/);
});

test('cucumber-js on one requirement: it runs on the simulated world and the process ends', {
  timeout: 120_000,
}, async () => {
  const { code, stdout } = await cucumberJs(['--tags', '@req:EX-MAIN-ON']);
  assert.equal(code, 0, stdout);
  // The Windows row only: the profile's tags are the default target's (Windows 4.7).
  assert.match(stdout, /^1 scenario \(1 passed\)$/m);
});
