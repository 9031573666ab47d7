/** junit.xml: a nonconformance or a blocked flow is a <failure>, anything else an <error>; examples named. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateMessages } from '@cucumber/gherkin';
import {
  type Envelope,
  IdGenerator,
  SourceMediaType,
  type TestStepResult,
  TestStepResultStatus,
} from '@cucumber/messages';
import { JUnitReport } from '../src/report/junit.ts';

const FEATURE = `Feature: Adding a partner tenant
  Scenario Outline: Add a partner tenant on <platform>
    Given a client
    Then it conforms

    Examples:
      | platform |
      | Windows  |
      | macOS    |

  Scenario Outline: The same name for every row
    Given a client
    Then it conforms

    Examples:
      | partner | user  |
      | Globex  | alice |
      | Hooli   | bob   |
`;

const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
const failed = (type: string, message: string): TestStepResult => ({
  status: TestStepResultStatus.FAILED,
  duration: at(5),
  message: `${type}: ${message}\n    at step (steps/x.ts:1:1)`,
  exception: { type, message, stackTrace: `${type}: ${message}\n    at step (steps/x.ts:1:1)` },
});
const passed: TestStepResult = { status: TestStepResultStatus.PASSED, duration: at(5) };

/** A run of FEATURE whose four scenarios end as `outcomes` says (the second step's result). */
function stream(outcomes: TestStepResult[]): Envelope[] {
  const newId = IdGenerator.incrementing();
  const envelopes: Envelope[] = [{ testRunStarted: { timestamp: at(1_000), id: 'run' } }];
  const gherkin = generateMessages(
    FEATURE,
    'features/x.feature',
    SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN,
    {
      includeSource: true,
      includeGherkinDocument: true,
      includePickles: true,
      newId,
    },
  );
  envelopes.push(...gherkin);
  const pickles = gherkin.flatMap((envelope) => (envelope.pickle ? [envelope.pickle] : []));
  pickles.forEach((pickle, index) => {
    const testCaseId = `case-${index}`;
    const steps = pickle.steps.map((step, n) => ({ id: `${testCaseId}-step-${n}`, pickleStepId: step.id }));
    envelopes.push({
      testCase: { id: testCaseId, pickleId: pickle.id, testSteps: steps, testRunStartedId: 'run' },
    });
    const started = `${testCaseId}-started`;
    envelopes.push({
      testCaseStarted: { id: started, testCaseId, attempt: 0, timestamp: at(2_000 + index * 100) },
    });
    steps.forEach((step, n) => {
      const result = n === 1 ? (outcomes[index] ?? passed) : passed;
      envelopes.push({
        testStepStarted: { testCaseStartedId: started, testStepId: step.id, timestamp: at(2_000) },
      });
      envelopes.push({
        testStepFinished: {
          testCaseStartedId: started,
          testStepId: step.id,
          testStepResult: result,
          timestamp: at(2_010),
        },
      });
    });
    envelopes.push({
      testCaseFinished: {
        testCaseStartedId: started,
        timestamp: at(2_050 + index * 100),
        willBeRetried: false,
      },
    });
  });
  envelopes.push({ testRunFinished: { success: false, timestamp: at(3_000), testRunStartedId: 'run' } });
  return envelopes;
}

function junit(outcomes: TestStepResult[]): string {
  const report = new JUnitReport('windows 4.7');
  for (const envelope of stream(outcomes)) report.update(envelope);
  return report.xml();
}

describe('junit.xml', () => {
  it('files a nonconformance and a blocked flow as failures, a harness error as an error', () => {
    const xml = junit([
      failed('Nonconformance', 'ZPA is still on for Acme Corp'),
      failed('ClientActionError', 'no control "Submit" in the Add Tenant window'),
      failed('ClientProtocolError', 'the client did not answer GET /ccdp/1/view within 10000 ms'),
      passed,
    ]);
    assert.match(xml, /<testsuite name="windows 4\.7" tests="4" failures="2" errors="1" skipped="0"/);
    assert.match(xml, /<failure type="Nonconformance" message="ZPA is still on for Acme Corp">/);
    assert.match(
      xml,
      /<failure type="ClientActionError" message="no control &quot;Submit&quot; in the Add Tenant window">/,
    );
    assert.match(
      xml,
      /<error type="ClientProtocolError" message="the client did not answer GET \/ccdp\/1\/view within 10000 ms">/,
    );
    assert.equal(xml.match(/<testcase /g)?.length, 4);
  });

  it('names each example readably: by its name, or by its row where the name is the same', () => {
    const xml = junit([passed, passed, passed, passed]);
    const names = [...xml.matchAll(/<testcase classname="Adding a partner tenant" name="([^"]*)"/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(names, [
      'Add a partner tenant on Windows',
      'Add a partner tenant on macOS',
      'The same name for every row (partner: Globex, user: alice)',
      'The same name for every row (partner: Hooli, user: bob)',
    ]);
    assert.doesNotMatch(xml, /<failure|<error/);
  });

  it('an undefined or pending step is an error: nothing was judged', () => {
    const xml = junit([{ status: TestStepResultStatus.UNDEFINED, duration: at(0) }, passed, passed, passed]);
    assert.match(xml, /<error message="the step is undefined"\/>/);
  });
});
