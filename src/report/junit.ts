/**
 * junit.xml from a target's Cucumber message stream, for CI reporters. A scenario the client failed
 * (a check not met: nonconforming; the flow not offered: blocked) is a `<failure>`; a scenario the
 * harness, the simulated world or the machine failed, or that was interrupted, is an `<error>`
 * (JUnit's own split: an assertion that failed, an unexpected error). Cucumber's JUnit formatter
 * writes `<failure>` for both. The run writes it through a Cucumber formatter (junit-formatter.ts);
 * merge from the merged stream.
 */
import {
  type Envelope,
  type Pickle,
  type TestStep,
  type TestStepResult,
  TestStepResultStatus,
  TimeConversion,
} from '@cucumber/messages';
import { type Lineage, Query } from '@cucumber/query';
import xmlbuilder from 'xmlbuilder';
import { exceptionTypeOf, failureKind } from './collect.ts';

interface TestCaseEntry {
  classname: string;
  name: string;
  seconds: number;
  outcome?: { element: 'failure' | 'error'; type?: string; message: string; text?: string };
  steps: string;
}

export class JUnitReport {
  readonly #query = new Query();
  readonly #suiteName: string;

  constructor(suiteName: string) {
    this.#suiteName = suiteName;
  }

  update(envelope: Envelope): void {
    this.#query.update(envelope);
  }

  xml(): string {
    const cases = this.#testCases();
    const count = (element: 'failure' | 'error') =>
      cases.filter((entry) => entry.outcome?.element === element).length;
    const suite = xmlbuilder
      .create('testsuite', { invalidCharReplacement: '' })
      .att('name', this.#suiteName)
      .att('tests', cases.length)
      .att('failures', count('failure'))
      .att('errors', count('error'))
      .att('skipped', 0)
      .att('time', seconds(this.#query.findTestRunDuration()));
    const started = this.#query.findTestRunStarted();
    if (started !== undefined) {
      const ms = TimeConversion.timestampToMillisecondsSinceEpoch(started.timestamp);
      suite.att('timestamp', new Date(ms).toISOString());
    }
    for (const entry of cases) {
      const element = suite.ele('testcase', {
        classname: entry.classname,
        name: entry.name,
        time: entry.seconds,
      });
      const { outcome } = entry;
      if (outcome !== undefined) {
        const child = element.ele(outcome.element);
        if (outcome.type !== undefined) child.att('type', outcome.type);
        child.att('message', outcome.message);
        if (outcome.text !== undefined && outcome.text !== '') child.cdata(outcome.text);
      }
      if (entry.steps !== '') element.ele('system-out').cdata(entry.steps);
    }
    return `${suite.end({ pretty: true })}\n`;
  }

  #testCases(): TestCaseEntry[] {
    const query = this.#query;
    const testSteps = new Map(query.findAllTestSteps().map((step) => [step.id, step]));
    const finished = query.findAllTestCaseFinished().filter((testCase) => !testCase.willBeRetried);
    const entries = finished.flatMap((testCaseFinished) => {
      const pickle = query.findPickleBy(testCaseFinished);
      if (pickle === undefined) return [];
      const lineage = query.findLineageBy(pickle) ?? {};
      const steps = query.findTestStepsFinishedBy(testCaseFinished);
      return [
        {
          pickle,
          lineage,
          entry: {
            classname: lineage.feature?.name ?? pickle.uri,
            name: pickle.name,
            seconds: seconds(query.findTestCaseDurationBy(testCaseFinished)),
            outcome: outcomeOf(
              steps.map((step) => ({
                result: step.testStepResult,
                isHook: testSteps.get(step.testStepId)?.pickleStepId === undefined,
              })),
            ),
            steps: steps
              .flatMap((step) => this.#stepLine(testSteps.get(step.testStepId), step.testStepResult))
              .join('\n'),
          } satisfies TestCaseEntry,
        },
      ];
    });
    // An outline whose name has no <placeholder> gives its examples one name: the row tells them apart.
    const named = new Map<string, number>();
    for (const { entry } of entries) named.set(key(entry), (named.get(key(entry)) ?? 0) + 1);
    for (const { entry, pickle, lineage } of entries) {
      if ((named.get(key(entry)) ?? 0) > 1) entry.name = `${entry.name} (${exampleRow(lineage, pickle)})`;
    }
    return entries
      .sort((a, b) => a.pickle.uri.localeCompare(b.pickle.uri) || line(a.pickle) - line(b.pickle))
      .map(({ entry }) => entry);
  }

  /** "Given <step text> ........ passed", as Cucumber's JUnit formatter prints a scenario's steps. */
  #stepLine(testStep: TestStep | undefined, result: TestStepResult): string[] {
    if (testStep === undefined || testStep.pickleStepId === undefined) return [];
    const pickleStep = this.#query.findPickleStepBy(testStep);
    const step = pickleStep === undefined ? undefined : this.#query.findStepBy(pickleStep);
    if (pickleStep === undefined || step === undefined) return [];
    const text = `${step.keyword.trim()} ${pickleStep.text}`;
    return [`${text}${'.'.repeat(Math.max(3, 76 - text.length))}${result.status.toLowerCase()}`];
  }
}

/** The most severe step's result decides, as in Cucumber's own formatter; its kind as in the report. */
function outcomeOf(steps: { result: TestStepResult; isHook: boolean }[]): TestCaseEntry['outcome'] {
  let chosen: { result: TestStepResult; isHook: boolean } | undefined;
  for (const step of steps) {
    if (step.result.status === TestStepResultStatus.PASSED) continue;
    if (chosen === undefined || SEVERITY.indexOf(step.result.status) > SEVERITY.indexOf(chosen.result.status))
      chosen = step;
  }
  if (chosen === undefined) return undefined;
  const { result, isHook } = chosen;
  const type = exceptionTypeOf(result);
  // Skipped, pending, undefined or ambiguous is an error too: the report says so (collect.ts).
  const message =
    result.exception?.message ??
    result.message?.split('\n')[0] ??
    `the step is ${result.status.toLowerCase()}`;
  const text = result.exception?.stackTrace ?? result.message;
  const kind = failureKind(result, isHook);
  return {
    element: kind === 'nonconformance' || kind === 'client-action' ? 'failure' : 'error',
    message,
    ...(type !== undefined && { type }),
    ...(text !== undefined && { text }),
  };
}

const SEVERITY: readonly TestStepResultStatus[] = [
  TestStepResultStatus.UNKNOWN,
  TestStepResultStatus.PASSED,
  TestStepResultStatus.SKIPPED,
  TestStepResultStatus.PENDING,
  TestStepResultStatus.UNDEFINED,
  TestStepResultStatus.AMBIGUOUS,
  TestStepResultStatus.FAILED,
];

function key(entry: TestCaseEntry): string {
  return `${entry.classname}\u0000${entry.name}`;
}

function line(pickle: Pickle): number {
  return pickle.location?.line ?? 0;
}

/** "platform: Windows", from the Examples table's header and the pickle's row. */
function exampleRow(lineage: Lineage, pickle: Pickle): string {
  const header = lineage.examples?.tableHeader?.cells.map((cell) => cell.value) ?? [];
  const values = lineage.example?.cells.map((cell) => cell.value) ?? [];
  const pairs = values.map((value, i) => `${header[i] ?? `column ${i + 1}`}: ${value}`);
  return pairs.length > 0 ? pairs.join(', ') : `line ${line(pickle)}`;
}

function seconds(duration: { seconds: number; nanos: number } | undefined): number {
  return duration === undefined ? 0 : TimeConversion.durationToMilliseconds(duration) / 1000;
}
