/**
 * --repeat N: every scenario runs N times; a scenario whose verdicts differ is flaky, and so is its
 * requirement, which fails the gate. The reference client is deterministic: no false flakiness.
 */
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Target } from '../src/catalog/types.ts';
import { combineRepetitions } from '../src/report/repeat.ts';
import { validateReport } from '../src/report/schema.ts';
import { renderSummaryTable } from '../src/report/summary.ts';
import type { ConformanceReport, RequirementResult, ScenarioResult } from '../src/report/types.ts';
import { DEFAULT_TARGETS } from '../src/runner/options.ts';
import { serveFlakyClient } from './support/flaky-client.ts';
import { syntheticReport } from './support/reports.ts';
import { run, verdicts } from './support/runs.ts';

const A = { name: 'adds the tenant', location: 'features/shared/a.feature:5' };
const B = { name: 'switches', location: 'features/shared/b.feature:9' };

function cell(requirement: string, ...scenarios: ScenarioResult[]): RequirementResult {
  const failed = scenarios.find((s) => s.verdict === 'failed');
  return {
    requirement,
    title: `${requirement} behaves`,
    level: 'documented',
    platform: 'windows',
    clientVersion: '4.7',
    status: failed ? 'nonconforming' : 'conforms',
    scenarios,
    ...(failed ? { message: failed.message ?? 'failed' } : {}),
  };
}

function report(...results: RequirementResult[]): ConformanceReport {
  return syntheticReport(results, [{ platform: 'windows', clientVersion: '4.7' }], 2);
}

const passed = (scenario: typeof A): ScenarioResult => ({ ...scenario, verdict: 'passed' });
const failed = (scenario: typeof A): ScenarioResult => ({
  ...scenario,
  verdict: 'failed',
  step: 'Then both tunnels are off',
  message: 'actual: main on; expected: main off',
});

describe('combineRepetitions', () => {
  test('an interrupted run is never flaky: each cell as the repetition that got least far shows it', () => {
    const interrupted = (...results: RequirementResult[]): ConformanceReport => {
      const stopped = report(...results);
      stopped.run.interrupted = { by: 'SIGTERM', at: '2025-01-02T03:04:06.000Z' };
      return stopped;
    };
    const notRun: RequirementResult = {
      ...cell('EX-2', passed(B)),
      status: 'not-covered',
      scenarios: [],
      message: 'not checked: the run was interrupted (SIGTERM) before any scenario of EX-2 ran',
    };
    const inFlight: RequirementResult = {
      ...cell('EX-1'),
      status: 'error',
      scenarios: [{ ...A, verdict: 'error', message: 'the run was interrupted (SIGTERM) during this step' }],
      message: 'the run was interrupted (SIGTERM) during this step',
    };
    const combined = combineRepetitions([
      interrupted(cell('EX-1', passed(A)), cell('EX-2', passed(B))),
      interrupted(inFlight, notRun),
    ]);
    assert.deepEqual(
      combined.results.map((result) => result.status),
      ['error', 'not-covered'],
    );
    assert.equal(combined.summary.flaky, 0);
    assert.equal(combined.run.exitCode, 143);
  });

  test('a scenario that passed once and failed once is flaky, and so is its requirement: exit 1', () => {
    const combined = combineRepetitions([
      report(cell('EX-1', passed(A)), cell('EX-2', passed(B))),
      report(cell('EX-1', failed(A)), cell('EX-2', passed(B))),
    ]);
    const [flaky, steady] = combined.results;
    assert.equal(flaky?.status, 'flaky');
    assert.deepEqual(flaky?.scenarios[0]?.repetitions, ['passed', 'failed']);
    assert.equal(flaky?.scenarios[0]?.verdict, 'flaky');
    assert.match(
      flaky?.message ?? '',
      /^flaky: adds the tenant \(features\/shared\/a\.feature:5\): passed, failed in 2 runs; actual: main on/,
    );
    assert.equal(steady?.status, 'conforms');
    assert.equal(combined.summary.flaky, 1);
    assert.equal(combined.summary.conforms, 1);
    assert.equal(combined.summary.scenarios, 4);
    assert.equal(combined.run.repeat, 2);
    assert.equal(combined.run.exitCode, 1);
    assert.deepEqual(validateReport(combined), []);
    const table = renderSummaryTable(combined, { color: false });
    assert.ok(table.includes('~ 1 flaky'), table);
    assert.ok(table.includes('~ EX-1 on windows 4.7: flaky: adds the tenant'), table);
  });

  test('a scenario that failed every time still makes its requirement nonconforming', () => {
    const combined = combineRepetitions([
      report(cell('EX-1', passed(A), failed(B))),
      report(cell('EX-1', failed(A), failed(B))),
    ]);
    assert.equal(combined.results[0]?.status, 'nonconforming');
    assert.deepEqual(
      combined.results[0]?.scenarios.map((s) => s.verdict),
      ['flaky', 'failed'],
    );
  });

  test('repetitions that agree change nothing but the counts', () => {
    const once = report(cell('EX-1', passed(A)), cell('EX-2', failed(B)));
    const combined = combineRepetitions([once, structuredClone(once), structuredClone(once)]);
    assert.deepEqual(combined.results, once.results);
    assert.equal(combined.run.exitCode, 1);
    assert.equal(combined.summary.scenarios, 6);
    assert.equal(combined.run.repeat, 3);
  });
});

test('--repeat 2 on the reference client: every scenario twice, nothing flaky, exit 0', async () => {
  const once = await run({});
  const twice = await run({ repeat: 2 });
  assert.equal(twice.report.run.exitCode, 0, JSON.stringify(twice.report.run.errors));
  assert.equal(twice.report.summary.flaky, 0);
  assert.deepEqual(verdicts(twice.report), verdicts(once.report));
  assert.equal(twice.report.summary.scenarios, 2 * once.report.summary.scenarios);
  assert.equal(twice.report.run.repeat, 2);
  assert.deepEqual(validateReport(twice.report), []);
  const reportDir = path.dirname(twice.reportFile);
  for (const target of DEFAULT_TARGETS) {
    const dir = path.join(reportDir, 'targets', `${target.platform}-${target.clientVersion}`);
    await access(path.join(dir, 'messages.ndjson'));
    await access(path.join(dir, 'repeat-2', 'messages.ndjson'));
  }
});

test('--repeat 2 against a client that misbehaves only the first time: flaky, exit 1', async () => {
  const target = DEFAULT_TARGETS[0] as Target;
  const client = await serveFlakyClient(target, 'turn-on-main-leaves-partner-on');
  try {
    const { report } = await run({
      client: `remote:${client.url}`,
      targets: [target],
      tags: '@req:EX-MAIN-ON',
      repeat: 2,
    });
    const result = report.results.find((r) => r.requirement === 'EX-MAIN-ON');
    assert.equal(result?.status, 'flaky', result?.message);
    assert.equal(result?.scenarios.length, 1);
    assert.deepEqual(result?.scenarios[0]?.repetitions, ['failed', 'passed']);
    assert.equal(report.run.exitCode, 1);
    assert.deepEqual(validateReport(report), []);
  } finally {
    await client.close();
  }
});
