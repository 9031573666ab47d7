/**
 * check-client: it passes on the reference client's ccdp/1 server, and for an adapter that breaks the
 * protocol it names the check that failed (the first one; later ones may follow from it).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { CHECKS } from '../src/check-client/checks.ts';
import { renderJson, renderTable } from '../src/check-client/report.ts';
import { type CheckResult, exitCode, runChecks } from '../src/check-client/run.ts';
import { startSimulatedWorld } from '../src/environment/simulated-world.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import { DEFAULT_OPTIONS } from '../src/runner/options.ts';
import { serveCcdpProcess } from './support/ccdp.ts';
import { BIN, cli } from './support/cli.ts';
import { type Fault, serveFaultyClient } from './support/faulty-client.ts';
import { type Deviation, serveOffProtocolClient } from './support/off-protocol-client.ts';
import { StubPolicyApi, stubSignIn } from './support/reference-client-stubs.ts';

const closers: (() => Promise<void>)[] = [];
after(() => Promise.all(closers.map((close) => close())));

/** Short waits, so that doubles which hold or drop requests are checked quickly. */
const check = (baseUrl: string) =>
  runChecks({
    baseUrl,
    actionTimeoutMs: 1000,
    policyApiUrl: 'http://127.0.0.1:9',
    timing: { holdMs: 200, longWaitMs: 1000 },
  });

/** Starts a ccdp/1 server as its own process (stopped after the tests); resolves with its URL. */
const serve = (args: string[]) => serveCcdpProcess(args, closers);

const outcomes = (results: CheckResult[]) => results.map((result) => `${result.id} ${result.outcome}`);

test('each check has its own id and a section of docs/driver-protocol.md that exists', async () => {
  const doc = await readFile(path.join(PACKAGE_ROOT, 'docs', 'driver-protocol.md'), 'utf8');
  const anchors = new Set(
    [...doc.matchAll(/^#+ (.+)$/gm)].map((match) =>
      (match[1] ?? '')
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replaceAll(' ', '-'),
    ),
  );
  assert.equal(new Set(CHECKS.map((check) => check.id)).size, CHECKS.length);
  for (const check of CHECKS) {
    const [file, anchor] = check.section.split('#');
    assert.equal(file, 'driver-protocol.md', check.id);
    assert.ok(anchors.has(anchor ?? ''), `${check.id}: #${anchor} (${[...anchors].join(', ')})`);
  }
});

describe('check-client on serve-client', () => {
  test('every check passes: exit 0, a table naming each check and its docs section', async () => {
    const url = await serve([BIN, 'serve-client', '--platform', 'windows', '--client-version', '4.7']);
    const { code, stdout, stderr } = await cli(['check-client', url, '--platform', 'windows']);
    assert.equal(code, 0, stdout + stderr);
    const rows = stdout.trim().split('\n').slice(1, -1);
    assert.ok(rows.length >= 20, stdout);
    for (const row of rows) {
      // Response times on a busy machine may earn a warning; nothing else may.
      assert.match(row, /^(\S+)\s+(passed|warning)\s+driver-protocol\.md#[a-z0-9-]+\s+\S/, row);
      if (!row.startsWith('response-times')) assert.match(row, /^\S+\s+passed\s/, row);
    }
    for (const id of [
      'action-click',
      'action-select',
      'action-fill',
      'action-restart',
      'error-not-offered',
    ]) {
      assert.match(stdout, new RegExp(`^${id}\\s+passed\\s`, 'm'), id);
    }
    assert.match(
      stdout,
      /^\d+ passed, [01] warnings?, 0 failed: the adapter is ready for a conformance run$/m,
    );
  });

  test('--policy-api: the session enrols in a world already running; macOS lists no partner tenants to select', async () => {
    const world = await startSimulatedWorld({ fixturesDir: DEFAULT_OPTIONS.fixturesDir });
    closers.push(world.close);
    const url = await serve([BIN, 'serve-client', '--platform', 'macos', '--client-version', '4.7']);
    const { code, stdout } = await cli(['check-client', url, '--json', '--policy-api', world.policyApiUrl]);
    assert.equal(code, 0, stdout);
    const report = JSON.parse(stdout) as { url: string; passed: boolean; checks: CheckResult[] };
    assert.equal(report.url, url);
    assert.equal(report.passed, true);
    const select = report.checks.find((check) => check.id === 'action-select');
    assert.equal(select?.outcome, 'warning');
    assert.match(
      select?.seen ?? '',
      /^not exercised: the add-tenant window lists no options for amelia@acme\.example/,
    );
    assert.deepEqual(
      [...world.policy.devices.values()].map((device) => `${device.username} ${device.platform}`),
      ['amelia@acme.example macos'],
    );
  });

  test('bad input: one line naming the flag, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['check-client', 'http://example.com:80'],
        /^connector-conformance check-client: URL: expected http:\/\/127\.0\.0\.1:PORT/,
      ],
      [
        ['check-client', 'http://127.0.0.1:9', '--action-timeout', 'soon'],
        /^connector-conformance check-client: --action-timeout: expected milliseconds/,
      ],
      [
        ['check-client', 'http://127.0.0.1:9', '--platform', 'linux'],
        /^connector-conformance check-client: --platform: /,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await cli(args);
      assert.equal(code, 2, args.join(' '));
      assert.equal(stdout, '');
      assert.match(stderr, message);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
    }
  });
});

describe('check-client on adapters that break the protocol', () => {
  const offProtocol: [Deviation, string][] = [
    ['status-off-schema', 'status'],
    ['no-location', 'session-start'],
    ['no-busy', 'error-busy'],
    ['wait-ignored', 'long-poll-wait'],
    ['long-poll-hangs', 'long-poll-wait'],
    ['serial-frozen', 'action-click'],
    ['after-ignored', 'long-poll-after'],
    ['not-offered-as-bad-request', 'error-not-offered'],
    ['not-found-as-text', 'error-not-found'],
    ['delete-200', 'session-end'],
    ['any-version', 'error-unsupported'],
  ];
  for (const [deviation, failing] of offProtocol) {
    test(`${deviation}: ${failing} fails, exit 1`, async () => {
      const server = await serveOffProtocolClient(deviation);
      closers.push(server.close);
      const results = await check(server.url);
      assertFirstFailure(results, failing);
    });
  }

  const faulty: [Exclude<Fault, 'crash'>, string][] = [
    ['invalid', 'action-click'],
    ['timeout', 'action-click'],
    ['refused', 'long-poll-after'],
  ];
  for (const [fault, failing] of faulty) {
    test(`the faulty client "${fault}": ${failing} fails, exit 1`, async () => {
      const api = new StubPolicyApi({});
      const server = await serveFaultyClient({
        fault,
        platform: 'windows',
        clientVersion: '4.7',
        deps: { policyApi: () => api, signIn: stubSignIn([]) },
      });
      closers.push(server.close);
      assertFirstFailure(await check(server.url), failing);
    });
  }

  test('the faulty client "crash" (its process exits at the first action): action-click fails, exit 1', async () => {
    const markers = await mkdtemp(path.join(tmpdir(), 'check-client-crash-'));
    const script = path.join(PACKAGE_ROOT, 'test', 'support', 'faulty-client.ts');
    const url = await serve([script, 'crash', 'windows', '4.7', '0', markers]);
    const { code, stdout } = await cli(['check-client', url, '--json', '--action-timeout', '2000']);
    assert.equal(code, 1, stdout);
    const report = JSON.parse(stdout) as { passed: boolean; checks: CheckResult[] };
    assert.equal(report.passed, false);
    assertFirstFailure(report.checks, 'action-click');
    assert.match(report.checks.find((check) => check.id === 'action-click')?.seen ?? '', /connection/);
  });

  test('no Host check (a SHOULD) and slow answers are warnings: exit 0', async () => {
    for (const [deviation, warned] of [
      ['no-host-check', 'host-check'],
      ['slow-status', 'response-times'],
    ] as const) {
      const server = await serveOffProtocolClient(deviation);
      closers.push(server.close);
      const results = await check(server.url);
      assert.equal(exitCode(results), 0, outcomes(results).join('\n'));
      const warnings = results.filter((result) => result.outcome === 'warning').map((result) => result.id);
      // The stubbed organisation offers no selection list: select is not exercised.
      assert.deepEqual(warnings.sort(), ['action-select', warned].sort());
    }
  });
});

function assertFirstFailure(results: CheckResult[], failing: string): void {
  const failed = results.filter((result) => result.outcome === 'failed');
  assert.equal(failed[0]?.id, failing, outcomes(results).join('\n'));
  assert.equal(exitCode(results), 1);
  assert.match(renderTable(results), new RegExp(`^${failing}\\s+failed\\s+driver-protocol\\.md#`, 'm'));
  assert.equal(JSON.parse(renderJson('http://127.0.0.1:1', results)).passed, false);
}
