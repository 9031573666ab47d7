/**
 * The reference client in a container (`--client image:NAME`, testcontainers, host networking) and
 * the simulated world with it as docker-compose services. These tests need a Docker engine: without
 * one they fail, saying so in one line (run connector-conformance install-deps, as npm test does). The image is built from
 * this checkout first (scripts/build-image.sh), under its own tag.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { SCRIPTED_DEFECTS } from '../client/core/defects.ts';
import { findLocalImage } from '../src/drivers/client-container.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import { defectRuns, run, verdicts } from './support/runs.ts';

const exec = promisify(execFile);
const IMAGE = 'connector-conformance:test';
const BROKEN = 'connector-conformance:test-broken';
/** Node 24 (the one running the tests) first on PATH, for the image build. */
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` };

/** The containers of `image`, running or not. */
async function containersOf(image: string): Promise<string[]> {
  const { stdout } = await exec('docker', ['ps', '-a', '-q', '--filter', `ancestor=${image}`]);
  return stdout.split('\n').filter(Boolean);
}

before(async () => {
  if ((await findLocalImage('connector-conformance:none')) === 'no-engine') {
    throw new Error(
      'no Docker engine answers: start dockerd (or set DOCKER_HOST): connector-conformance install-deps does',
    );
  }
  await exec(path.join(PACKAGE_ROOT, 'scripts', 'build-image.sh'), [IMAGE], { env, cwd: PACKAGE_ROOT });
  // An image whose client dies at once, saying why.
  const dockerfile = `FROM ${IMAGE}\nENTRYPOINT ["/usr/local/bin/node", "-e", "console.error('broken on purpose'); process.exit(3)"]\n`;
  const build = exec('docker', ['build', '-q', '-t', BROKEN, '-']);
  build.child.stdin?.end(dockerfile);
  await build;
});

after(async () => {
  await exec('docker', ['image', 'rm', BROKEN]).catch(() => undefined);
});

describe('the full suite through a container', () => {
  test('gives the in-process verdicts, keeps the container output, and leaves no container', async () => {
    const inProcess = await run({});
    const contained = await run({ client: `image:${IMAGE}` });
    assert.equal(contained.report.run.exitCode, 0, JSON.stringify(contained.report.run.errors));
    assert.deepEqual(verdicts(contained.report), verdicts(inProcess.report));
    assert.equal(contained.report.summary.scenarios, inProcess.report.summary.scenarios);
    const log = await readFile(
      path.join(
        path.dirname(contained.reportFile),
        'targets',
        'macos-4.7',
        'evidence',
        'client-container.log',
      ),
      'utf8',
    );
    assert.match(log, /^ccdp\/1 listening on http:\/\/127\.0\.0\.1:\d+$/m);
    assert.deepEqual(await containersOf(IMAGE), []);
  });

  test('a client that dies at start: its scenarios in error naming why, exit 2, reports, no container', async () => {
    const broken = await run({
      client: `image:${BROKEN}`,
      targets: [{ platform: 'macos', clientVersion: '4.7' }],
    });
    assert.equal(broken.report.run.exitCode, 2);
    const errors = broken.report.results.filter((result) => result.status === 'error');
    assert.ok(errors.length > 0);
    for (const result of errors) {
      assert.match(result.message ?? '', /the client did not start: exited with code 3 .*broken on purpose/);
    }
    assert.deepEqual(await containersOf(BROKEN), []);
  });

  test('an image that is not on this machine: exit 2 before the run, saying how to build it', async () => {
    const missing = await run({ client: 'image:connector-conformance:never-built' });
    assert.equal(missing.report.run.exitCode, 2);
    assert.match(
      missing.report.run.errors[0] ?? '',
      /the image is not on this machine; build it \(scripts\/build-image\.sh connector-conformance:never-built\)/,
    );
  });
});

describe('each defect through a container', () => {
  for (const defect of SCRIPTED_DEFECTS) {
    test(`${defect.name}: the same verdicts as in process on ${(defect.shownIn ?? [defect.requirement]).join(' and ')}'s scenarios`, async () => {
      const { inProcess, other } = await defectRuns(defect, { client: `image:${IMAGE}` });
      assert.equal(other.report.run.exitCode, inProcess.report.run.exitCode);
      assert.deepEqual(verdicts(other.report), verdicts(inProcess.report));
      assert.ok(
        verdicts(other.report).some(
          (line) => line.startsWith(`${defect.requirement} `) && line.endsWith('nonconforming'),
        ),
      );
    });
  }
});

describe('docker-compose.yml', () => {
  test('is accepted, and brings up the simulated world and the client on 127.0.0.1', async () => {
    const ports = { CCC_WORLD_PORT: '18600', CCC_CLIENT_PORT: '18700', CCC_IMAGE: IMAGE };
    const compose = (...args: string[]) =>
      exec('docker-compose', ['-p', 'ccc-compose-test', ...args], {
        cwd: PACKAGE_ROOT,
        env: { ...env, ...ports },
      });
    const { stdout } = await compose('config');
    assert.match(stdout, /network_mode: host/);
    await compose('up', '-d');
    try {
      const status = await waitForJson('http://127.0.0.1:18700/ccdp/1/status');
      assert.equal((status as { protocol: string }).protocol, 'ccdp/1');
      const discovery = await waitForJson(
        'http://127.0.0.1:18601/oauth2/default/.well-known/openid-configuration',
      );
      assert.equal((discovery as { issuer: string }).issuer, 'http://127.0.0.1:18601/oauth2/default');
    } finally {
      await compose('down', '--timeout', '5');
    }
    assert.deepEqual(await containersOf(IMAGE), []);
  });
});

/** GETs `url` until it answers (a service still starting refuses the connection), for up to 15 s. */
async function waitForJson(url: string): Promise<unknown> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response.json();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within 15 s`, { cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
