/** install-deps: npm test runs it first, so here everything it installs must be present. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli } from './support/cli.ts';

test('after the setup step, install-deps --check finds everything and a Docker engine answering', async () => {
  const { code, stdout } = await cli(['install-deps', '--check']);
  assert.equal(code, 0, stdout);
  const lines = stdout.trim().split('\n');
  for (const what of [
    'Chromium',
    "Chromium's headless shell",
    'ChromeDriver',
    'the Docker engine',
    'docker-compose',
  ]) {
    assert.ok(
      lines.some((line) => line.startsWith(`present: ${what} (`)),
      `${what}: ${stdout}`,
    );
  }
  assert.ok(!stdout.includes('missing:'), stdout);
});

test('install-deps --check --no-docker leaves Docker out', async () => {
  const { code, stdout } = await cli(['install-deps', '--check', '--no-docker']);
  assert.equal(code, 0, stdout);
  assert.ok(!/docker/i.test(stdout), stdout);
});
