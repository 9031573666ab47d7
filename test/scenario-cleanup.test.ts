/**
 * A scenario's cleanup can run while its step is still going: an interruption lets the step in
 * flight go (steps/interruption.ts) and the After hook stops the client at once. What the step
 * acquires after that must be released too, or an open client UI server keeps the process alive
 * after an interrupted run has written its report.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { type IWorldOptions, supportCodeLibraryBuilder } from '@cucumber/cucumber';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import { ensureSimulatedWorld, releaseWorkerResources } from '../src/runner/worker-resources.ts';
import type { RunParameters } from '../steps/world.ts';

// The steps register with Cucumber as they load, as when Cucumber loads them for a run.
supportCodeLibraryBuilder.reset(PACKAGE_ROOT, randomUUID);
const { ConformanceWorld } = await import('../steps/world.ts');

const fixturesDir = `${PACKAGE_ROOT}/fixtures`;

const listening = (): number =>
  process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;

after(() => releaseWorkerResources());

test('a client start that ends after the scenario was cleaned up stops the client it started', async () => {
  await ensureSimulatedWorld(fixturesDir);
  const parameters: RunParameters = {
    platform: 'macos',
    clientVersion: '4.7',
    applicable: [],
    client: 'ui',
    userAgent: 'browser',
    evidence: 'none',
    reportDir: '/nonexistent',
    freshContext: false,
    fixturesDir,
  };
  const world = new ConformanceWorld({
    parameters,
    attach: () => undefined,
    log: () => undefined,
    link: () => undefined,
  } as unknown as IWorldOptions<RunParameters>);
  const before = listening();
  const starting = world.startClient('alice@acme.example');
  await world.dispose(false);
  await assert.rejects(starting, /ended while its client started/);
  assert.equal(listening(), before, 'a server the late start opened is still listening');
});
