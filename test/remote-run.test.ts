/**
 * The suite through the driver protocol: the reference client in its own process (`serve-client`),
 * one per worker from --client-command, or already running (remote:URL). Verdicts must match the
 * in-process run requirement by requirement, for the clean client and for every defect; a client
 * that breaks the protocol puts its scenario in error and the run goes on.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SCRIPTED_DEFECTS } from '../client/core/defects.ts';
import type { Target } from '../src/catalog/types.ts';
import { ClientProcess } from '../src/drivers/client-process.ts';
import { PACKAGE_ROOT } from '../src/package-layout.ts';
import type { ConformanceReport, ScenarioResult } from '../src/report/types.ts';
import { DEFAULT_TARGETS } from '../src/runner/options.ts';
import { FAULTS, type Fault } from './support/faulty-client.ts';
import { defectRuns, run, verdicts } from './support/runs.ts';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'connector-conformance.js');
const SERVE_CLIENT = `node ${BIN} serve-client --platform {platform} --client-version {version} --port {port}`;
const MACOS: Target = { platform: 'macos', clientVersion: '4.7' };

/** Every scenario that ran, once, with its verdict (a scenario appears under each requirement it covers). */
function scenarios(report: ConformanceReport): ScenarioResult[] {
  const byLocation = new Map<string, ScenarioResult>();
  for (const result of report.results) {
    for (const scenario of result.scenarios) {
      const seen = byLocation.get(scenario.location);
      if (seen === undefined || seen.verdict === 'passed') byLocation.set(scenario.location, scenario);
    }
  }
  return [...byLocation.values()];
}

describe('the full suite through ccdp/1', () => {
  test('gives the in-process verdicts on every target, with the client log as evidence', async () => {
    const inProcess = await run({});
    const remote = await run({ clientCommand: SERVE_CLIENT });
    assert.equal(remote.report.run.exitCode, 0, JSON.stringify(remote.report.run.errors));
    assert.deepEqual(verdicts(remote.report), verdicts(inProcess.report));
    assert.equal(remote.report.summary.scenarios, inProcess.report.summary.scenarios);
    assert.equal(remote.report.client.driver, 'remote');
    assert.deepEqual(remote.report.run.targets, DEFAULT_TARGETS);
    const messages = await readFile(
      path.join(path.dirname(remote.reportFile), 'targets', 'windows-4.7', 'messages.ndjson'),
      'utf8',
    );
    assert.match(messages, /"fileName":"client\.log"/);
    assert.match(messages, /action: click \\"Private Access\\"/);
  });

  test('remote:URL drives a client already running, on the target it says it is', async () => {
    const client = await ClientProcess.start({
      command: SERVE_CLIENT,
      ...MACOS,
      startupTimeoutMs: 10_000,
    });
    try {
      const remote = await run({ client: `remote:${client.url}` });
      assert.equal(remote.report.run.exitCode, 0, JSON.stringify(remote.report.run.errors));
      assert.deepEqual(remote.report.run.targets, [MACOS]);
      assert.equal(remote.report.client.name, 'Zscaler Client Connector (reference client)');
      const inProcess = await run({ targets: [MACOS] });
      assert.deepEqual(verdicts(remote.report), verdicts(inProcess.report));

      const other = await run({ client: `remote:${client.url}`, targets: [DEFAULT_TARGETS[0] as Target] });
      assert.equal(other.report.run.exitCode, 2);
      assert.match(
        other.report.run.errors[0] ?? '',
        /that client is macos 4\.7, not windows 4\.7; run it with --platform macos --client-version 4\.7, or without them/,
      );
    } finally {
      await client.stop();
    }
  });
});

describe('each defect through ccdp/1', () => {
  for (const defect of SCRIPTED_DEFECTS) {
    test(`${defect.name}: the same verdicts as in process on ${(defect.shownIn ?? [defect.requirement]).join(' and ')}'s scenarios`, async () => {
      const { inProcess, other } = await defectRuns(defect, { clientCommand: SERVE_CLIENT });
      assert.equal(other.report.run.exitCode, 1, JSON.stringify(other.report.run.errors));
      assert.equal(other.report.client.defect, defect.name);
      assert.deepEqual(verdicts(other.report), verdicts(inProcess.report));
    });
  }
});

describe('a client that breaks the protocol', () => {
  const what: Record<Fault, RegExp> = {
    invalid:
      /^When .*: ClientProtocolError: click "[^"]+": expected 200 with a ccdp\/1 view-response from POST \/ccdp\/1\/sessions\/[^/]+\/actions; got 200 with \/view must have required property 'tenants'/,
    timeout:
      /^When .*: ClientProtocolError: click "[^"]+": expected 200 with a ccdp\/1 view-response from POST \/ccdp\/1\/sessions\/[^/]+\/actions; got no answer within 500 ms \(--action-timeout\)$/,
    crash:
      /^When .*: ClientProtocolError: click "[^"]+": expected 200 with a ccdp\/1 view-response from POST \/ccdp\/1\/sessions\/[^/]+\/actions; got the connection was closed before an answer \(the client process exited with code 3; its last output: ccdp\/1 listening on http:\/\/127\.0\.0\.1:\d+\)$/,
    refused:
      /^\w+ .*: ClientProtocolError: [^:]+: expected 200 with a ccdp\/1 [\w-]+ from \w+ \/ccdp\/1\/sessions\/\S+; got connection refused \(nothing listens there\)$/,
  };
  for (const fault of FAULTS) {
    test(`${fault}: that scenario is in error, the others run and pass, exit 2, every report written`, async () => {
      const markers = await mkdtemp(path.join(tmpdir(), `fault-${fault}-`));
      const command = `node ${path.join(PACKAGE_ROOT, 'test', 'support', 'faulty-client.ts')} ${fault} {platform} {version} {port} ${markers}`;
      const clean = await run({ targets: [MACOS] });
      const { report, reportFile } = await run({
        clientCommand: command,
        targets: [MACOS],
        actionTimeoutMs: 500,
      });

      assert.equal(report.run.exitCode, 2);
      assert.equal(report.summary.scenarios, clean.report.summary.scenarios);
      const ran = scenarios(report);
      const errored = ran.filter((scenario) => scenario.verdict === 'error');
      assert.equal(errored.length, 1, JSON.stringify(errored));
      assert.match(errored[0]?.message ?? '', what[fault]);
      assert.deepEqual(
        ran.filter((scenario) => scenario.verdict !== 'error').map((scenario) => scenario.verdict),
        Array(ran.length - 1).fill('passed'),
      );
      assert.equal(report.summary.nonconforming, 0);
      assert.equal(report.summary.blocked, 0);
      assert.ok(report.summary.error >= 1);

      const dir = path.join(path.dirname(reportFile), 'targets', 'macos-4.7');
      for (const file of ['messages.ndjson', 'junit.xml', 'cucumber.html']) {
        assert.ok((await stat(path.join(dir, file))).size > 0, file);
      }
      // The broken client was replaced, and every client process is gone after the run.
      const pids = (await readdir(markers)).filter((file) => file.startsWith('pid-'));
      assert.equal(pids.length, 2, pids.join(', '));
      for (const pid of pids) assert.equal(await runs(Number(pid.slice(4))), false, `${pid} still runs`);
    });
  }
});

describe('a client command that does not start', () => {
  test('every scenario is in error naming the command and how it ended; exit 2, reports written', async () => {
    const command = `node -e "console.error('licence server unreachable'); process.exit(4)" {port}`;
    const { report, reportFile } = await run({ clientCommand: command, targets: [MACOS] });
    assert.equal(report.run.exitCode, 2);
    const ran = scenarios(report);
    assert.ok(ran.length > 10, `${ran.length} scenarios`);
    for (const scenario of ran) {
      assert.equal(scenario.verdict, 'error');
      assert.match(
        scenario.message ?? '',
        /ClientProtocolError: --client-command "node -e .*": the client did not answer GET http:\/\/127\.0\.0\.1:\d+\/ccdp\/1\/status: the client process exited with code 4; its last output: licence server unreachable$/,
      );
    }
    assert.ok(
      (await stat(path.join(path.dirname(reportFile), 'targets', 'macos-4.7', 'junit.xml'))).size > 0,
    );
  });
});

/** Whether a process runs (an exited one that nobody has reaped yet does not). */
async function runs(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
