import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import {
  AttachmentContentEncoding,
  type Envelope,
  type Exception,
  type TestStep,
  TestStepResultStatus,
} from '@cucumber/messages';
import { applies } from '../src/catalog/applicability.ts';
import type { Applicability, Requirement, Target } from '../src/catalog/types.ts';
import { buildReport, errorReport } from '../src/report/build.ts';
import { TargetCollector } from '../src/report/collect.ts';
import { applyExpectations } from '../src/report/expect.ts';
import { validateReport } from '../src/report/schema.ts';
import { renderSummaryTable, STATUS_SYMBOLS } from '../src/report/summary.ts';
import type { ConformanceReport, RequirementResult } from '../src/report/types.ts';
import { writeReport } from '../src/report/write.ts';
import { CHECK_MEDIA_TYPE, type CheckRecord, PLAN_MEDIA_TYPE, type PlanRecord } from '../src/verdict.ts';
import { compareVersions } from '../src/version.ts';

// ---------------------------------------------------------------------------------------------
// Synthetic Cucumber message streams

interface StepSpec {
  text: string;
  keyword?: string;
  /** A Before/After hook instead of a Gherkin step. */
  hook?: 'before' | 'after';
  /** Defaults to FAILED when `exception` is set, SKIPPED after a failed step, else PASSED. */
  status?: TestStepResultStatus;
  exception?: Exception;
  checks?: CheckRecord[];
  /**
   * The requirements the scenario's plan record says this step checks: by default those of its
   * `checks` (a check step), `[]` for a step that is not in the plan.
   */
  planned?: string[];
  /** Raw check attachments (bodies), to test decoding and malformed records. */
  raw?: { body: string; encoding?: AttachmentContentEncoding }[];
}

interface ScenarioSpec {
  name: string;
  tags?: string[];
  uri?: string;
  line?: number;
  /** Make it an outline row at this line of the Examples table. */
  outlineRow?: number;
  steps: StepSpec[];
  /** Earlier attempts (same step structure, other results), judged before the final `steps`. */
  earlierAttempts?: StepSpec[][];
  /** Planned (test case emitted) but never started. */
  notStarted?: boolean;
  /** Compiled but filtered out by tags: a pickle with no test case. */
  filtered?: boolean;
  /**
   * The plan record the Before hook attaches: by default made from the steps; `false`: none (a
   * stream of an older harness); a string: that body.
   */
  plan?: false | string;
}

/** The plan record of a scenario with these steps, as the Before hook makes it. */
function planOf(steps: readonly StepSpec[]): PlanRecord {
  const checks = steps
    .filter((step) => step.hook === undefined)
    .map((step, index) => ({
      step: index,
      requirements: step.planned ?? [...new Set((step.checks ?? []).flatMap((c) => c.requirements))],
    }))
    .filter(({ requirements }) => requirements.length > 0);
  return { checks };
}

const at = { seconds: 0, nanos: 0 };

class Stream {
  readonly envelopes: Envelope[] = [];
  #next = 0;

  #id(prefix: string): string {
    this.#next += 1;
    return `${prefix}-${this.#next}`;
  }

  scenario(spec: ScenarioSpec): this {
    const uri = spec.uri ?? 'features/shared/sample.feature';
    const line = spec.line ?? 3;
    const scenarioId = this.#id('scenario');
    const rowId = spec.outlineRow === undefined ? undefined : this.#id('row');
    const gherkinSteps = spec.steps
      .filter((step) => step.hook === undefined)
      .map((step, index) => ({
        id: this.#id('step'),
        keyword: step.keyword ?? 'Given ',
        text: step.text,
        location: { line: line + 1 + index, column: 5 },
      }));
    this.envelopes.push({
      gherkinDocument: {
        uri,
        comments: [],
        feature: {
          location: { line: 1 },
          tags: [],
          language: 'en',
          keyword: 'Feature',
          name: 'Sample',
          description: '',
          children: [
            {
              scenario: {
                id: scenarioId,
                location: { line },
                tags: [],
                keyword: rowId === undefined ? 'Scenario' : 'Scenario Outline',
                name: spec.name,
                description: '',
                steps: gherkinSteps,
                examples:
                  rowId === undefined || spec.outlineRow === undefined
                    ? []
                    : [
                        {
                          id: this.#id('examples'),
                          location: { line: spec.outlineRow - 2 },
                          tags: [],
                          keyword: 'Examples',
                          name: '',
                          description: '',
                          tableBody: [{ id: rowId, location: { line: spec.outlineRow }, cells: [] }],
                        },
                      ],
              },
            },
          ],
        },
      },
    });
    const pickleId = this.#id('pickle');
    const pickleSteps = gherkinSteps.map((step) => ({
      id: this.#id('pickle-step'),
      text: step.text,
      astNodeIds: [step.id],
    }));
    this.envelopes.push({
      pickle: {
        id: pickleId,
        uri,
        location: { line: spec.outlineRow ?? line },
        name: spec.name,
        language: 'en',
        steps: pickleSteps,
        tags: (spec.tags ?? []).map((name) => ({ name, astNodeId: 'tag' })),
        astNodeIds: rowId === undefined ? [scenarioId] : [scenarioId, rowId],
      },
    });
    if (spec.filtered === true) return this;

    let pickleIndex = 0;
    const testSteps: TestStep[] = spec.steps.map((step) => {
      if (step.hook !== undefined) {
        const hookId = this.#id('hook');
        this.envelopes.push({
          hook: { id: hookId, sourceReference: { uri: 'steps/hooks.ts', location: { line: 7 } } },
        });
        return { id: this.#id('test-step'), hookId };
      }
      const pickleStep = pickleSteps[pickleIndex++];
      assert.ok(pickleStep);
      return { id: this.#id('test-step'), pickleStepId: pickleStep.id };
    });
    const testCaseId = this.#id('test-case');
    this.envelopes.push({ testCase: { id: testCaseId, pickleId, testSteps } });
    if (spec.notStarted === true) return this;

    const attempts = [...(spec.earlierAttempts ?? []), spec.steps];
    attempts.forEach((steps, attempt) => {
      const startedId = this.#id('started');
      this.envelopes.push({ testCaseStarted: { id: startedId, testCaseId, attempt, timestamp: at } });
      if (spec.plan !== false) {
        this.envelopes.push({
          attachment: {
            body: spec.plan ?? JSON.stringify(planOf(steps)),
            contentEncoding: AttachmentContentEncoding.IDENTITY,
            mediaType: PLAN_MEDIA_TYPE,
            testCaseStartedId: startedId,
          },
        });
      }
      let failed = false;
      steps.forEach((step, index) => {
        const testStep = testSteps[index];
        assert.ok(testStep);
        const skipped = failed && step.hook === undefined;
        for (const check of skipped ? [] : (step.checks ?? [])) {
          this.envelopes.push({
            attachment: {
              body: JSON.stringify(check),
              contentEncoding: AttachmentContentEncoding.IDENTITY,
              mediaType: CHECK_MEDIA_TYPE,
              testCaseStartedId: startedId,
              testStepId: testStep.id,
            },
          });
        }
        for (const raw of skipped ? [] : (step.raw ?? [])) {
          this.envelopes.push({
            attachment: {
              body: raw.body,
              contentEncoding: raw.encoding ?? AttachmentContentEncoding.IDENTITY,
              mediaType: CHECK_MEDIA_TYPE,
              testCaseStartedId: startedId,
              testStepId: testStep.id,
            },
          });
        }
        const status =
          step.status ??
          (skipped
            ? TestStepResultStatus.SKIPPED
            : step.exception !== undefined
              ? TestStepResultStatus.FAILED
              : TestStepResultStatus.PASSED);
        if (status !== TestStepResultStatus.PASSED && status !== TestStepResultStatus.SKIPPED) failed = true;
        const exception = skipped ? undefined : step.exception;
        this.envelopes.push({
          testStepFinished: {
            testCaseStartedId: startedId,
            testStepId: testStep.id,
            testStepResult: {
              duration: at,
              status,
              ...(exception === undefined
                ? {}
                : {
                    exception,
                    message: `${exception.type}: ${exception.message ?? ''}\n    at Object.<anonymous> (steps/x.ts:1:1)`,
                  }),
            },
            timestamp: at,
          },
        });
      });
      this.envelopes.push({
        testCaseFinished: {
          testCaseStartedId: startedId,
          timestamp: at,
          willBeRetried: attempt < attempts.length - 1,
        },
      });
    });
    return this;
  }

  collect(target: Target): TargetCollector {
    const collector = new TargetCollector(target);
    for (const envelope of this.envelopes) collector.onMessage(envelope);
    return collector;
  }
}

const passes = (id: string, text = `the client shows ${id}`): StepSpec => ({
  text,
  keyword: 'Then ',
  checks: [{ requirements: [id], outcome: 'passed', expectation: `${id} behaviour` }],
});
const fails = (id: string, actual: string): StepSpec => ({
  text: `the client shows ${id}`,
  keyword: 'Then ',
  checks: [{ requirements: [id], outcome: 'failed', expectation: `${id} behaviour`, actual }],
  exception: { type: 'Nonconformance', message: `${id} behaviour: ${actual}` },
});
const step = (text: string, exception?: Exception): StepSpec =>
  exception === undefined ? { text } : { text, exception };

// ---------------------------------------------------------------------------------------------
// Catalog and targets

const W47: Target = { platform: 'windows', clientVersion: '4.7' };
const W46: Target = { platform: 'windows', clientVersion: '4.6' };
const W45: Target = { platform: 'windows', clientVersion: '4.5' };
const M47: Target = { platform: 'macos', clientVersion: '4.7' };
const EVERYWHERE: Applicability[] = [{ platform: 'windows' }, { platform: 'macos' }];

function requirement(id: string, appliesTo: Applicability[] = EVERYWHERE): Requirement {
  return {
    id,
    title: `The client does what ${id} documents, in a title long enough to need truncating in a table`,
    group: 'add-tenant',
    level: 'documented',
    appliesTo,
    behaviour: `${id} behaviour`,
    clauses: [{ id: 'whole', says: `${id} behaviour` }],
    source: { document: 'seed/adding-a-partner-tenant.txt', quote: 'quote' },
  };
}

const CATALOG: Requirement[] = [
  requirement('PTA-01'),
  requirement('PTA-02'),
  requirement('PTA-03'),
  requirement('PTA-04'),
  requirement('PTA-05'),
  requirement('PTA-06'),
  requirement('PTA-07'),
  requirement('PTA-08', [{ platform: 'windows', minVersion: '4.6' }]),
];

const HEADER = {
  suite: { name: 'partner-tenant', version: '0.1.0' },
  client: { name: 'mock client', driver: 'mock', version: '4.7.0' },
  startedAt: new Date('2025-01-02T03:04:05.000Z'),
  finishedAt: new Date('2025-01-02T03:04:07.500Z'),
};

function find(report: ConformanceReport, id: string, target: Target): RequirementResult {
  const result = report.results.find(
    (r) => r.requirement === id && r.platform === target.platform && r.clientVersion === target.clientVersion,
  );
  assert.ok(result, `no result for ${id} on ${target.platform} ${target.clientVersion}`);
  return result;
}

function assertValid(report: ConformanceReport): void {
  assert.deepEqual(validateReport(report), []);
}

/** The main mixed run on windows 4.7. */
function mixedStream(): Stream {
  return new Stream()
    .scenario({
      name: 'adds a partner tenant',
      tags: ['@req:PTA-01'],
      line: 3,
      steps: [step('the client is ready'), passes('PTA-01')],
    })
    .scenario({
      name: 'lists the partner tenant',
      tags: ['@req:PTA-02', '@req:PTA-03'],
      line: 10,
      steps: [step('the client is ready'), fails('PTA-02', 'the list was empty'), passes('PTA-03')],
    })
    .scenario({
      name: 'switches to the partner tenant',
      tags: ['@req:PTA-03'],
      uri: 'features/shared/switching.feature',
      line: 5,
      steps: [passes('PTA-03')],
    })
    .scenario({
      name: 'signs in to the partner tenant',
      tags: ['@req:PTA-04'],
      line: 20,
      steps: [
        step('the user opens the menu', {
          type: 'ClientActionError',
          message: 'the Add Partner Tenant item is missing',
        }),
        passes('PTA-04'),
      ],
    })
    .scenario({
      name: 'removes the partner tenant',
      tags: ['@req:PTA-05'],
      line: 30,
      steps: [
        step('the mock IdP is configured', {
          type: 'TypeError',
          message: "Cannot read properties of undefined (reading 'issuer')",
        }),
        passes('PTA-05'),
      ],
    })
    .scenario({
      name: 'keeps the primary tenant',
      tags: ['@req:PTA-07'],
      line: 40,
      steps: [step('the client is ready')],
    })
    .scenario({ name: 'restricts old clients', tags: ['@req:PTA-08'], line: 50, steps: [passes('PTA-08')] });
}

// ---------------------------------------------------------------------------------------------

describe('applicability', () => {
  it('compares dotted versions numerically', () => {
    assert.ok(compareVersions('4.7', '4.10') < 0);
    assert.ok(compareVersions('4.10', '4.7') > 0);
    assert.equal(compareVersions('4.7', '4.7.0'), 0);
    assert.ok(compareVersions('4.6.1', '4.6') > 0);
    assert.ok(compareVersions('5', '4.99') > 0);
  });

  it('matches platform and the [minVersion, belowVersion) range', () => {
    const ranged = requirement('X', [{ platform: 'windows', minVersion: '4.6', belowVersion: '4.7' }]);
    assert.equal(applies(ranged, W46), true);
    assert.equal(applies(ranged, { platform: 'windows', clientVersion: '4.6.3' }), true);
    assert.equal(applies(ranged, W47), false);
    assert.equal(applies(ranged, W45), false);
    assert.equal(applies(ranged, { platform: 'macos', clientVersion: '4.6' }), false);
    assert.equal(applies(requirement('Y'), M47), true);
  });
});

describe('TargetCollector', () => {
  it('locates scenarios and outline rows, names steps with their keyword', () => {
    const collector = new Stream()
      .scenario({ name: 'plain', tags: ['@req:PTA-01', '@smoke'], line: 7, steps: [passes('PTA-01')] })
      .scenario({
        name: 'row',
        tags: ['@req:PTA-02'],
        line: 12,
        outlineRow: 19,
        steps: [fails('PTA-02', 'no')],
      })
      .collect(W47);
    const [plain, row] = collector.scenarios();
    assert.ok(plain && row);
    assert.equal(plain.location, 'features/shared/sample.feature:7');
    assert.deepEqual(plain.tags, ['@req:PTA-01', '@smoke']);
    assert.deepEqual(plain.requirements, ['PTA-01']);
    assert.equal(plain.status, 'passed');
    assert.deepEqual(plain.outcomes, { 'PTA-01': { passed: 1, failed: 0 } });
    assert.equal(row.location, 'features/shared/sample.feature:19');
    assert.equal(row.status, 'failed');
    assert.deepEqual(row.failure, {
      kind: 'nonconformance',
      step: 'Then the client shows PTA-02',
      message: 'PTA-02 behaviour: no',
      exceptionType: 'Nonconformance',
      status: 'failed',
    });
    assert.equal(row.checks[0]?.step, 'Then the client shows PTA-02');
    assert.equal(row.checks[0]?.actual, 'no');
  });

  it('judges a retried scenario by its last attempt', () => {
    const flaky = step('the client is ready', { type: 'Error', message: 'transient' });
    const collector = new Stream()
      .scenario({
        name: 'flaky',
        tags: ['@req:PTA-01'],
        earlierAttempts: [[flaky, passes('PTA-01')]],
        steps: [step('the client is ready'), passes('PTA-01')],
      })
      .collect(W47);
    const [flakyScenario] = collector.scenarios();
    assert.equal(flakyScenario?.attempt, 1);
    assert.equal(flakyScenario?.status, 'passed');
    assert.equal(flakyScenario?.failure, undefined);
    assert.equal(flakyScenario?.checks.length, 1);
  });

  it('skips filtered pickles, reports planned-but-not-run ones, classifies hooks and undefined steps', () => {
    const collector = new Stream()
      .scenario({ name: 'filtered', tags: ['@req:PTA-01'], filtered: true, steps: [passes('PTA-01')] })
      .scenario({ name: 'never started', tags: ['@req:PTA-02'], notStarted: true, steps: [passes('PTA-02')] })
      .scenario({
        name: 'hook breaks',
        tags: ['@req:PTA-03'],
        steps: [
          { text: '', hook: 'before', exception: { type: 'ClientActionError', message: 'could not launch' } },
          passes('PTA-03'),
        ],
      })
      .scenario({
        name: 'undefined',
        tags: ['@req:PTA-04'],
        steps: [{ text: 'a step nobody wrote', status: TestStepResultStatus.UNDEFINED }],
      })
      .collect(W47);
    const scenarios = collector.scenarios();
    assert.deepEqual(
      scenarios.map((s) => [s.name, s.status]),
      [
        ['never started', 'not-run'],
        ['hook breaks', 'failed'],
        ['undefined', 'undefined'],
      ],
    );
    const [notRun, hook, undef] = scenarios;
    assert.equal(notRun?.failure?.kind, 'error');
    assert.equal(hook?.failure?.kind, 'error', 'a hook failure is an error whatever its exception type');
    assert.equal(hook?.failure?.step, 'Before hook (steps/hooks.ts:7)');
    assert.equal(undef?.failure?.kind, 'error');
    assert.equal(undef?.failure?.step, 'Given a step nobody wrote');
    assert.match(undef?.failure?.message ?? '', /undefined step/);
  });

  it('decodes base64 check bodies and flags malformed ones', () => {
    const record: CheckRecord = { requirements: ['PTA-01'], outcome: 'passed', expectation: 'ok' };
    const collector = new Stream()
      .scenario({
        name: 'encoded',
        tags: ['@req:PTA-01'],
        steps: [
          {
            text: 'a check',
            raw: [
              {
                body: Buffer.from(JSON.stringify(record)).toString('base64'),
                encoding: AttachmentContentEncoding.BASE64,
              },
              { body: '{"requirements":[],"outcome":"passed","expectation":"x"}' },
              { body: 'not json' },
            ],
          },
        ],
      })
      .collect(W47);
    const [scenario] = collector.scenarios();
    assert.deepEqual(scenario?.outcomes, { 'PTA-01': { passed: 1, failed: 0 } });
    assert.equal(scenario?.problems.length, 2);
    assert.match(scenario?.problems[0] ?? '', /"requirements" must be a non-empty array/);
    assert.match(scenario?.problems[1] ?? '', /not JSON/);
  });
});

describe('buildReport', () => {
  const report = buildReport({
    ...HEADER,
    catalog: CATALOG,
    targets: [{ target: W47, collector: mixedStream().collect(W47) }],
    errors: [],
  });

  it('lists every requirement in catalog order', () => {
    assert.deepEqual(
      report.results.map((r) => r.requirement),
      CATALOG.map((r) => r.id),
    );
    assertValid(report);
  });

  it('a passing check conforms', () => {
    const result = find(report, 'PTA-01', W47);
    assert.equal(result.status, 'conforms');
    assert.equal(result.message, undefined);
    assert.deepEqual(result.scenarios, [
      { name: 'adds a partner tenant', location: 'features/shared/sample.feature:3', verdict: 'passed' },
    ]);
  });

  it('a failing check is nonconforming for its requirement only', () => {
    const result = find(report, 'PTA-02', W47);
    assert.equal(result.status, 'nonconforming');
    assert.equal(result.message, 'actual: the list was empty; expected: PTA-02 behaviour');
    assert.equal(result.scenarios[0]?.step, 'Then the client shows PTA-02');
  });

  it('a requirement blocked in one scenario is blocked, though another scenario verified it', () => {
    const result = find(report, 'PTA-03', W47);
    assert.equal(result.status, 'blocked');
    assert.equal(
      result.message,
      'blocked: Then the client shows PTA-02: PTA-02 behaviour: the list was empty',
    );
    assert.deepEqual(
      result.scenarios.map((s) => [s.location, s.verdict]),
      [
        ['features/shared/sample.feature:10', 'blocked'],
        ['features/shared/switching.feature:5', 'passed'],
      ],
    );
    assert.equal(
      result.scenarios[0]?.message,
      'blocked: Then the client shows PTA-02: PTA-02 behaviour: the list was empty',
    );
  });

  it('a ClientActionError blocks', () => {
    const result = find(report, 'PTA-04', W47);
    assert.equal(result.status, 'blocked');
    assert.equal(
      result.message,
      'blocked: Given the user opens the menu: the Add Partner Tenant item is missing',
    );
  });

  it('any other exception is an error', () => {
    const result = find(report, 'PTA-05', W47);
    assert.equal(result.status, 'error');
    assert.equal(
      result.message,
      "Given the mock IdP is configured: TypeError: Cannot read properties of undefined (reading 'issuer')",
    );
  });

  it('no scenario: not-covered', () => {
    const result = find(report, 'PTA-06', W47);
    assert.equal(result.status, 'not-covered');
    assert.deepEqual(result.scenarios, []);
  });

  it('tagged but never checked is an error (a suite bug)', () => {
    const result = find(report, 'PTA-07', W47);
    assert.equal(result.status, 'error');
    assert.equal(result.message, 'scenario is tagged @req:PTA-07 but no step checked PTA-07');
  });

  it('counts statuses and exits 2 on an error', () => {
    assert.deepEqual(report.summary, {
      conforms: 2,
      nonconforming: 1,
      blocked: 2,
      error: 2,
      'not-applicable': 0,
      'not-covered': 1,
      'expected-nonconforming': 0,
      flaky: 0,
      scenarios: 7,
    });
    assert.equal(report.run.exitCode, 2);
    assert.equal(report.run.durationMs, 2500);
    assert.equal(report.run.startedAt, '2025-01-02T03:04:05.000Z');
  });

  it('not-applicable by catalog; a scenario run where it does not apply is a suite error', () => {
    const clean = new Stream().scenario({ name: 'adds', tags: ['@req:PTA-01'], steps: [passes('PTA-01')] });
    const multi = buildReport({
      ...HEADER,
      catalog: CATALOG,
      targets: [
        { target: W46, collector: clean.collect(W46) },
        { target: W45, collector: clean.collect(W45) },
        { target: M47, collector: mixedStream().collect(M47) },
      ],
      errors: [],
    });
    assertValid(multi);
    assert.deepEqual(
      multi.results.slice(0, 3).map((r) => `${r.requirement} ${r.platform} ${r.clientVersion}`),
      ['PTA-01 windows 4.6', 'PTA-01 windows 4.5', 'PTA-01 macos 4.7'],
      'catalog order, then target order',
    );
    assert.equal(multi.results.length, CATALOG.length * 3);
    assert.equal(find(multi, 'PTA-08', W45).status, 'not-applicable');
    assert.match(find(multi, 'PTA-08', W45).message ?? '', /applies to windows ≥4\.6, not windows 4\.5/);
    assert.equal(find(multi, 'PTA-08', W46).status, 'not-covered');
    const misplaced = find(multi, 'PTA-08', M47);
    assert.equal(misplaced.status, 'error');
    assert.equal(
      misplaced.message,
      'scenario restricts old clients ran on macos 4.7 but PTA-08 does not apply there',
    );
  });

  it('exit code 0 when everything conforms or is not covered, 1 on nonconforming/blocked, 2 on run errors', () => {
    const catalog = [requirement('PTA-01'), requirement('PTA-02')];
    const ok = buildReport({
      ...HEADER,
      catalog,
      targets: [
        {
          target: W47,
          collector: new Stream()
            .scenario({ name: 'a', tags: ['@req:PTA-01'], steps: [passes('PTA-01')] })
            .collect(W47),
        },
      ],
      errors: [],
    });
    assert.equal(ok.run.exitCode, 0);
    assert.equal(find(ok, 'PTA-02', W47).status, 'not-covered');
    assertValid(ok);

    const blocked = buildReport({
      ...HEADER,
      catalog,
      targets: [
        {
          target: W47,
          collector: new Stream()
            .scenario({
              name: 'b',
              tags: ['@req:PTA-01'],
              steps: [
                step('the user clicks', { type: 'ClientActionError', message: 'no button' }),
                passes('PTA-01'),
              ],
            })
            .collect(W47),
        },
      ],
      errors: [],
    });
    assert.equal(blocked.run.exitCode, 1);
    assertValid(blocked);

    const nonconforming = buildReport({
      ...HEADER,
      catalog,
      targets: [
        {
          target: W47,
          collector: new Stream()
            .scenario({ name: 'c', tags: ['@req:PTA-01'], steps: [fails('PTA-01', 'wrong')] })
            .collect(W47),
        },
      ],
      errors: [],
    });
    assert.equal(nonconforming.run.exitCode, 1);

    const withErrors = buildReport({ ...HEADER, catalog, targets: [], errors: ['the mock IdP died'] });
    assert.equal(withErrors.run.exitCode, 2);
    assert.deepEqual(withErrors.run.errors, ['the mock IdP died']);
    assertValid(withErrors);
  });

  it('surfaces requirements missing from the catalog and malformed checks', () => {
    const report = buildReport({
      ...HEADER,
      catalog: [requirement('PTA-01')],
      targets: [
        {
          target: W47,
          collector: new Stream()
            .scenario({ name: 'typo', tags: ['@req:PTA-1'], steps: [passes('PTA-1')] })
            .scenario({
              name: 'malformed',
              tags: ['@req:PTA-01'],
              steps: [passes('PTA-01'), { text: 'bad', raw: [{ body: '{}' }] }],
            })
            .collect(W47),
        },
      ],
      errors: [],
    });
    assert.equal(report.run.exitCode, 2);
    assert.deepEqual(report.run.errors, [
      'windows 4.7: scenario typo (features/shared/sample.feature:3) names requirement PTA-1, which is not in the catalog',
    ]);
    const result = find(report, 'PTA-01', W47);
    assert.equal(result.status, 'error');
    assert.match(result.message ?? '', /^suite bug: malformed check record in step "Given bad"/);
  });

  it('an After hook failing after every check passed is a run error', () => {
    const report = buildReport({
      ...HEADER,
      catalog: [requirement('PTA-01')],
      targets: [
        {
          target: W47,
          collector: new Stream()
            .scenario({
              name: 'teardown breaks',
              tags: ['@req:PTA-01'],
              steps: [
                passes('PTA-01'),
                { text: '', hook: 'after', exception: { type: 'Error', message: 'EADDRINUSE' } },
              ],
            })
            .collect(W47),
        },
      ],
      errors: [],
    });
    assert.equal(find(report, 'PTA-01', W47).status, 'conforms');
    assert.deepEqual(report.run.errors, [
      'windows 4.7: scenario teardown breaks (features/shared/sample.feature:3) ended in an error: After hook (steps/hooks.ts:7): EADDRINUSE',
    ]);
    assert.equal(report.run.exitCode, 2);
  });

  it('a Nonconformance without a failed check record is a suite error, not a block', () => {
    const report = buildReport({
      ...HEADER,
      catalog: [requirement('PTA-01')],
      targets: [
        {
          target: W47,
          collector: new Stream()
            .scenario({
              name: 'unrecorded',
              tags: ['@req:PTA-01'],
              steps: [step('a check', { type: 'Nonconformance', message: 'bad' })],
            })
            .collect(W47),
        },
      ],
      errors: [],
    });
    assert.equal(find(report, 'PTA-01', W47).status, 'error');
    assert.match(find(report, 'PTA-01', W47).message ?? '', /emitted no failed check record/);
  });
});

describe('a scenario that stopped', () => {
  const catalog = CATALOG.slice(0, 3);
  const build = (stream: Stream) =>
    buildReport({
      ...HEADER,
      catalog,
      targets: [{ target: W47, collector: stream.collect(W47) }],
      errors: [],
    });
  const refused = step('the user adds the partner tenant', {
    type: 'ClientActionError',
    message: 'no Add Partner Tenant link',
  });
  const stopsAfterItsFirstCheck: ScenarioSpec = {
    name: 'stops after its first check',
    tags: ['@req:PTA-01', '@req:PTA-02'],
    steps: [passes('PTA-01'), refused, passes('PTA-02')],
  };
  const verdicts = (result: RequirementResult) => result.scenarios.map((s) => `${s.name}: ${s.verdict}`);

  it('verifies what it checked before it stopped, and blocks the check it did not reach, whatever another scenario showed', () => {
    const report = build(
      new Stream()
        .scenario(stopsAfterItsFirstCheck)
        .scenario({ name: 'checks PTA-02', tags: ['@req:PTA-02'], line: 20, steps: [passes('PTA-02')] }),
    );
    assertValid(report);
    assert.equal(find(report, 'PTA-01', W47).status, 'conforms');
    assert.deepEqual(verdicts(find(report, 'PTA-01', W47)), ['stops after its first check: passed']);
    const blocked = find(report, 'PTA-02', W47);
    assert.equal(blocked.status, 'blocked');
    assert.deepEqual(verdicts(blocked), ['stops after its first check: blocked', 'checks PTA-02: passed']);
    assert.equal(
      blocked.message,
      'blocked: Given the user adds the partner tenant: no Add Partner Tenant link',
    );
    assert.deepEqual(report.run.errors, []);
    assert.equal(report.run.exitCode, 1);
  });

  it('blocks a requirement it had checked once and was to check again', () => {
    const report = build(
      new Stream().scenario({
        name: 'checks PTA-01 twice',
        tags: ['@req:PTA-01'],
        steps: [passes('PTA-01'), refused, passes('PTA-01', 'the client still shows PTA-01')],
      }),
    );
    assert.equal(find(report, 'PTA-01', W47).status, 'blocked');
    assert.equal(report.run.exitCode, 1);
  });

  it('on a nonconformance: that requirement fails, the finished one conforms, the one ahead is blocked', () => {
    const report = build(
      new Stream().scenario({
        name: 'fails PTA-02',
        tags: ['@req:PTA-01', '@req:PTA-02', '@req:PTA-03'],
        steps: [passes('PTA-01'), fails('PTA-02', 'the list was empty'), passes('PTA-03')],
      }),
    );
    assert.deepEqual(
      report.results.map((r) => r.status),
      ['conforms', 'nonconforming', 'blocked'],
    );
    assert.equal(
      find(report, 'PTA-03', W47).message,
      'blocked: Then the client shows PTA-02: PTA-02 behaviour: the list was empty',
    );
  });

  it('on a harness error in a step that checks nothing: what it had not finished is in error', () => {
    const report = build(
      new Stream().scenario({
        name: 'harness breaks',
        tags: ['@req:PTA-01', '@req:PTA-02'],
        steps: [
          passes('PTA-01'),
          step('the mock IdP is configured', { type: 'TypeError', message: 'undefined issuer' }),
          passes('PTA-02'),
        ],
      }),
    );
    assert.equal(find(report, 'PTA-01', W47).status, 'conforms');
    assert.equal(find(report, 'PTA-02', W47).status, 'error');
    assert.equal(
      find(report, 'PTA-02', W47).message,
      'Given the mock IdP is configured: TypeError: undefined issuer',
    );
    assert.equal(report.run.exitCode, 2);
  });

  it('without a plan record, verifies nothing once it stopped; a scenario that passed still verifies', () => {
    const report = build(
      new Stream()
        .scenario({
          name: 'older stream, stopped',
          tags: ['@req:PTA-01', '@req:PTA-02'],
          plan: false,
          steps: [passes('PTA-01'), refused, passes('PTA-02')],
        })
        .scenario({
          name: 'older stream, passed',
          tags: ['@req:PTA-03'],
          line: 20,
          plan: false,
          steps: [passes('PTA-03')],
        }),
    );
    assert.deepEqual(verdicts(find(report, 'PTA-01', W47)), ['older stream, stopped: blocked']);
    assert.deepEqual(
      report.results.map((r) => r.status),
      ['blocked', 'blocked', 'conforms'],
    );
  });

  it('fails the gate unless the expect file lists the cells it left unverified', () => {
    const report = build(new Stream().scenario(stopsAfterItsFirstCheck));
    assert.equal(report.run.exitCode, 1);
    const cell = { requirement: 'PTA-02', ...W47, reason: 'the client has no Add Partner Tenant link' };
    const expected = applyExpectations(report, [cell], 'expected.yaml');
    assert.equal(find(expected, 'PTA-02', W47).status, 'expected-nonconforming');
    assert.equal(expected.run.exitCode, 0);
    assertValid(expected);
  });

  it('a failed check record from a step that is not a check makes its requirement nonconforming', () => {
    const brokenOnTheWay: StepSpec = {
      text: 'the user adds the partner tenant',
      keyword: 'When ',
      planned: [],
      checks: [
        { requirements: ['PTA-02'], outcome: 'failed', expectation: 'PTA-02 behaviour', actual: 'no form' },
      ],
      exception: { type: 'Nonconformance', message: 'PTA-02: expected PTA-02 behaviour, but no form' },
    };
    const report = build(
      new Stream()
        .scenario({ name: 'adds', tags: ['@req:PTA-01'], steps: [brokenOnTheWay, passes('PTA-01')] })
        .scenario({ name: 'checks PTA-02', tags: ['@req:PTA-02'], line: 20, steps: [passes('PTA-02')] }),
    );
    const nonconforming = find(report, 'PTA-02', W47);
    assert.equal(nonconforming.status, 'nonconforming');
    assert.equal(nonconforming.message, 'actual: no form; expected: PTA-02 behaviour');
    assert.equal(nonconforming.scenarios[0]?.step, 'When the user adds the partner tenant');
    assert.equal(find(report, 'PTA-01', W47).status, 'blocked');
    assert.equal(report.run.exitCode, 1);
  });

  it('is a run error when it leaves every requirement it covers conforming', () => {
    const report = build(
      new Stream()
        .scenario({
          name: 'refused after its last check',
          tags: ['@req:PTA-01'],
          steps: [passes('PTA-01'), refused],
        })
        .scenario({ name: 'checks nothing', line: 20, steps: [refused] }),
    );
    assert.equal(find(report, 'PTA-01', W47).status, 'conforms');
    assert.deepEqual(report.run.errors, [
      'windows 4.7: scenario refused after its last check (features/shared/sample.feature:3) did not pass, yet every requirement it covers conforms: Given the user adds the partner tenant: no Add Partner Tenant link',
      'windows 4.7: scenario checks nothing (features/shared/sample.feature:20) covers no requirement and did not pass: Given the user adds the partner tenant: no Add Partner Tenant link',
    ]);
    assert.equal(report.run.exitCode, 2);
  });

  it('a malformed plan record is a suite bug', () => {
    const report = build(
      new Stream().scenario({
        name: 'bad plan',
        tags: ['@req:PTA-01'],
        plan: '{"checks":[{"step":3,"requirements":["PTA-01"]}]}',
        steps: [passes('PTA-01')],
      }),
    );
    assert.equal(find(report, 'PTA-01', W47).status, 'error');
    assert.equal(
      find(report, 'PTA-01', W47).message,
      `suite bug: malformed plan record: checks[0]: "step" must be the index of one of the scenario's 1 steps`,
    );
  });
});

describe('errorReport', () => {
  it('marks every requirement × target as error with the message and exits 2', () => {
    const report = errorReport({
      ...HEADER,
      catalog: CATALOG,
      targets: [W47, M47],
      tags: '@smoke',
      message: 'unknown flag --frobnicate',
    });
    assert.equal(report.results.length, CATALOG.length * 2);
    assert.ok(report.results.every((r) => r.status === 'error' && r.message === 'unknown flag --frobnicate'));
    assert.equal(report.run.exitCode, 2);
    assert.deepEqual(report.run.errors, ['unknown flag --frobnicate']);
    assert.equal(report.run.tags, '@smoke');
    assert.equal(report.summary.error, CATALOG.length * 2);
    assertValid(report);
  });
});

describe('validateReport', () => {
  it('reports what is wrong', () => {
    const report = errorReport({ ...HEADER, catalog: CATALOG, targets: [W47], message: 'x' });
    const broken = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    broken.reportVersion = 2;
    const results = broken.results as Record<string, unknown>[];
    const first = results[0];
    assert.ok(first);
    first.status = 'great';
    delete first.message;
    const errors = validateReport(broken);
    assert.ok(errors.some((e) => e.startsWith('/reportVersion')));
    assert.ok(errors.some((e) => e.startsWith('/results/0/status')));
  });
});

describe('renderSummaryTable', () => {
  const report = buildReport({
    ...HEADER,
    catalog: CATALOG,
    targets: [
      { target: W47, collector: mixedStream().collect(W47) },
      { target: W46, collector: mixedStream().collect(W46) },
      { target: W45, collector: new Stream().collect(W45) },
      { target: M47, collector: new Stream().collect(M47) },
    ],
    errors: ['the mock portal crashed'],
  });

  it('shows each status symbol, the message lines and the scenario count, within 100 columns', () => {
    const text = renderSummaryTable(report, { color: false });
    for (const status of new Set(report.results.map((r) => r.status))) {
      assert.ok(text.includes(STATUS_SYMBOLS[status]), `missing ${status}`);
    }
    const lines = text.split('\n');
    assert.match(lines[0] ?? '', /^Requirement\s+windows 4\.7\s+windows 4\.6\s+windows 4\.5\s+macos 4\.7$/);
    assert.ok(
      lines.some((l) => /^PTA-01\s+The client does what PTA-01 documents.*…\s+✓\s+✓\s+\?\s+\?$/.test(l)),
    );
    assert.ok(
      lines.includes('✗ PTA-02 on windows 4.7: actual: the list was empty; expected: PTA-02 behaviour'),
    );
    assert.ok(
      lines.includes(
        '⊘ PTA-04 on windows 4.6: blocked: Given the user opens the menu: the Add Partner Tenant item is mis…',
      ),
      'long messages are cut to fit 100 columns',
    );
    assert.ok(
      lines.includes('! PTA-07 on windows 4.7: scenario is tagged @req:PTA-07 but no step checked PTA-07'),
    );
    assert.ok(
      lines.some((l) => l.startsWith('! PTA-05 on windows 4.7: Given the mock IdP is configured: TypeError')),
    );
    assert.ok(lines.includes('! run error: the mock portal crashed'));
    assert.ok(
      lines.includes(
        '✓ 4 conforms  ✗ 2 nonconforming  ⊘ 4 blocked  ! 4 error  – 2 not applicable  ? 16 not covered',
      ),
    );
    assert.ok(lines.includes('14 scenarios run on 4 targets · exit code 2'));
    // Every line fits 100 columns but an error's, whose cause is shown whole.
    for (const line of lines.filter((l) => !l.startsWith('! ')))
      assert.ok([...line].length <= 100, `too wide: ${line}`);
    assert.ok(!text.includes('\u001b['));
  });

  it("truncates a long nonconformance, shows an error's cause whole, and colours when asked", () => {
    const longMiss = structuredClone(report);
    const miss = longMiss.results.find((result) => result.status === 'nonconforming');
    assert.ok(miss);
    miss.message = 'y'.repeat(300);
    const plain = renderSummaryTable(longMiss, { color: false });
    for (const line of plain.split('\n').filter((l) => !l.startsWith('! ')))
      assert.ok([...line].length <= 100, line);
    assert.ok(plain.includes('…'));
    const cause = `spawn vendor-client ENOENT: ${'x'.repeat(200)} (is it on the PATH?)`;
    const long = errorReport({
      ...HEADER,
      catalog: [CATALOG[0] as Requirement],
      targets: [W47],
      message: cause,
    });
    assert.ok(renderSummaryTable(long, { color: false }).includes(cause));
    const coloured = renderSummaryTable(report, { color: true });
    assert.ok(coloured.includes('\u001b[32m✓\u001b[0m'));
    assert.ok(coloured.includes('\u001b[31m✗\u001b[0m'));
  });
});

describe('writeReport', () => {
  it('writes conformance.json, pretty, with a trailing newline, creating the directory', async () => {
    const base = await mkdtemp(join(tmpdir(), 'conformance-report-'));
    try {
      const report = errorReport({ ...HEADER, catalog: CATALOG, targets: [W47], message: 'x' });
      const path = await writeReport(join(base, 'nested', 'dir'), report);
      assert.equal(path, join(base, 'nested', 'dir', 'conformance.json'));
      const text = await readFile(path, 'utf8');
      assert.ok(text.endsWith('}\n'));
      assert.ok(text.includes('\n  "reportVersion": 1,'));
      assert.deepEqual(JSON.parse(text), report);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe('end to end through cucumber', () => {
  it('reads the verdicts of a real cucumber run from its messages', async () => {
    const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
    const sink = (): Writable =>
      new Writable({
        write(_chunk, _encoding, callback) {
          callback();
        },
      });
    const environment = { cwd: root, stdout: sink(), stderr: sink(), env: { ...process.env } };
    const { runConfiguration } = await loadConfiguration(
      {
        file: false,
        provided: {
          paths: ['test/fixtures/mini-suite/*.feature'],
          import: ['test/fixtures/mini-suite/steps.ts'],
          tags: 'not @not-selected',
          retry: 1,
          retryTagFilter: '@flaky',
        },
      },
      environment,
    );
    const collector = new TargetCollector(W47);
    const exceptionTypes: string[] = [];
    const result = await runCucumber(runConfiguration, environment, (envelope) => {
      const exception = envelope.testStepFinished?.testStepResult.exception;
      if (exception !== undefined) exceptionTypes.push(exception.type);
      collector.onMessage(envelope);
    });
    assert.equal(result.success, false);
    assert.deepEqual(exceptionTypes, [
      'Nonconformance',
      'ClientActionError',
      'TypeError',
      'Error',
      'ClientActionError',
    ]);
    assert.deepEqual(collector.errors(), []);

    const scenarios = collector.scenarios();
    assert.ok(
      !scenarios.some((s) => s.requirements.includes('MINI-10')),
      'filtered scenario is not collected',
    );
    const byName = new Map(scenarios.map((s) => [s.name, s]));
    const failing = byName.get('A failing check blocks the next requirement');
    assert.equal(failing?.location, 'test/fixtures/mini-suite/mini.feature:9');
    assert.equal(failing?.failure?.kind, 'nonconformance');
    assert.equal(failing?.failure?.step, 'Then the check of "MINI-02" fails with "the menu was empty"');
    assert.equal(failing?.failure?.message, 'MINI-02 holds: the menu was empty');
    assert.deepEqual(
      scenarios.filter((s) => s.requirements.includes('MINI-06')).map((s) => s.location),
      ['test/fixtures/mini-suite/mini.feature:34', 'test/fixtures/mini-suite/mini.feature:35'],
    );
    assert.equal(byName.get('A flaky scenario passes on its retry')?.attempt, 1);
    assert.deepEqual(byName.get('The client stops the flow after a passing check')?.plan, [
      { step: 'Then the check of "MINI-11" passes', requirements: ['MINI-11'], status: 'passed' },
      { step: 'Then the check of "MINI-12" passes', requirements: ['MINI-12'], status: 'skipped' },
    ]);
    assert.deepEqual(
      scenarios.flatMap((s) => s.problems),
      [],
    );
    assert.deepEqual(
      scenarios.filter((s) => s.status !== 'not-run' && s.plan === undefined).map((s) => s.name),
      [],
      'every scenario that ran has its plan record',
    );

    const catalog = Array.from({ length: 12 }, (_, i) =>
      requirement(`MINI-${String(i + 1).padStart(2, '0')}`),
    );
    const report = buildReport({ ...HEADER, catalog, targets: [{ target: W47, collector }], errors: [] });
    assertValid(report);
    const statuses = Object.fromEntries(report.results.map((r) => [r.requirement, r.status]));
    assert.deepEqual(statuses, {
      'MINI-01': 'conforms',
      'MINI-02': 'nonconforming',
      'MINI-03': 'blocked',
      'MINI-04': 'blocked',
      'MINI-05': 'error',
      'MINI-06': 'conforms',
      'MINI-07': 'error',
      'MINI-08': 'conforms',
      'MINI-09': 'error',
      'MINI-10': 'not-covered',
      'MINI-11': 'conforms',
      'MINI-12': 'blocked',
    });
    assert.equal(find(report, 'MINI-02', W47).message, 'actual: the menu was empty; expected: MINI-02 holds');
    assert.equal(
      find(report, 'MINI-04', W47).message,
      'blocked: Given the client refuses to proceed: the Add Partner Tenant button is missing',
    );
    assert.match(
      find(report, 'MINI-05', W47).message ?? '',
      /^Given the harness breaks: TypeError: Cannot read/,
    );
    assert.match(find(report, 'MINI-07', W47).message ?? '', /^Given a step nobody defined: undefined step/);
    assert.equal(
      find(report, 'MINI-12', W47).message,
      'blocked: Given the client refuses to proceed: the Add Partner Tenant button is missing',
    );
    assert.equal(report.summary.scenarios, 12);
    assert.equal(report.run.exitCode, 2);
  });
});

describe('an interrupted run (src/runner/interruption.ts)', () => {
  const interrupted = { by: 'SIGTERM' as const, at: new Date('2025-01-02T03:04:06.000Z') };
  const stoppedDuring = (text: string): StepSpec => ({
    text,
    keyword: 'Then ',
    exception: { type: 'RunInterrupted', message: 'the run was interrupted (SIGTERM) during this step' },
  });
  const stream = new Stream()
    .scenario({ name: 'judged before it', tags: ['@req:PTA-01'], steps: [passes('PTA-01')] })
    .scenario({
      name: 'failed before it',
      tags: ['@req:PTA-02'],
      steps: [fails('PTA-02', 'no window')],
    })
    .scenario({
      name: 'in flight',
      tags: ['@req:PTA-03'],
      steps: [
        passes('PTA-03'),
        // What the step in flight recorded as the shutdown closed the client under it.
        {
          ...stoppedDuring('the client shows PTA-03 again'),
          checks: [
            { requirements: ['PTA-03'], outcome: 'failed', expectation: 'PTA-03 behaviour', actual: 'gone' },
          ],
        },
      ],
    })
    .scenario({
      name: 'not started',
      tags: ['@req:PTA-04'],
      steps: [
        {
          text: '',
          hook: 'before',
          exception: {
            type: 'RunInterrupted',
            message: 'the run was interrupted (SIGTERM) before this step',
          },
        },
        passes('PTA-04'),
      ],
    })
    .scenario({ name: 'never started', tags: ['@req:PTA-05'], notStarted: true, steps: [passes('PTA-05')] });
  const report = buildReport({
    ...HEADER,
    catalog: CATALOG,
    targets: [{ target: W47, collector: stream.collect(W47) }],
    errors: [],
    interrupted,
  });

  it('keeps what was judged before it, a nonconformance too', () => {
    assert.equal(find(report, 'PTA-01', W47).status, 'conforms');
    assert.equal(find(report, 'PTA-02', W47).status, 'nonconforming');
  });

  it('judges nothing the step in flight recorded: its cell is error, saying interrupted', () => {
    const cell = find(report, 'PTA-03', W47);
    assert.equal(cell.status, 'error');
    assert.match(cell.message ?? '', /interrupted \(SIGTERM\) during this step/);
  });

  it('reports a scenario that never started as not-covered, saying interrupted, not as an error', () => {
    for (const id of ['PTA-04', 'PTA-05']) {
      const cell = find(report, id, W47);
      assert.equal(cell.status, 'not-covered', id);
      assert.match(cell.message ?? '', /interrupted/, id);
    }
    assert.equal(report.summary.scenarios, 3);
  });

  it('marks the run interrupted, exit 143, first among its errors', () => {
    assert.deepEqual(report.run.interrupted, { by: 'SIGTERM', at: '2025-01-02T03:04:06.000Z' });
    assert.equal(report.run.exitCode, 143);
    assert.match(
      report.run.errors[0] ?? '',
      /^the run was interrupted \(SIGTERM\) at 2025-01-02T03:04:06.000Z: 3 scenario/,
    );
    assertValid(report);
  });

  it('without the run marked interrupted, a scenario the interruption stopped is still never the client’s fault', () => {
    // As merge sees a shard that was interrupted: only its message stream.
    const merged = buildReport({
      ...HEADER,
      catalog: CATALOG,
      targets: [{ target: W47, collector: stream.collect(W47) }],
      errors: [],
    });
    assert.equal(find(merged, 'PTA-03', W47).status, 'error');
    assert.equal(find(merged, 'PTA-04', W47).status, 'not-covered');
    assert.equal(find(merged, 'PTA-02', W47).status, 'nonconforming');
  });
});
