import type {
  Attachment,
  Envelope,
  GherkinDocument,
  Hook,
  Pickle,
  Scenario,
  TestCase,
  TestStepResult,
} from '@cucumber/messages';
import type { Target } from '../catalog/types.ts';
import { CHECK_MEDIA_TYPE, type CheckRecord, PLAN_MEDIA_TYPE, type PlannedCheck } from '../verdict.ts';

/** The tag prefix naming the requirements a scenario covers: `@req:PTA-01`. */
export const REQUIREMENT_TAG_PREFIX = '@req:';

/** Cucumber's step statuses, lower-cased; `not-run` when the scenario was planned but never started. */
export type ScenarioStatus =
  | 'passed'
  | 'failed'
  | 'skipped'
  | 'pending'
  | 'undefined'
  | 'ambiguous'
  | 'unknown'
  | 'not-run';

/**
 * How the first unsuccessful step is judged:
 * - nonconformance: a check failed (exception type `Nonconformance`);
 * - client-action: the client did not let the flow proceed (`ClientActionError`);
 * - interrupted: the run was interrupted before or while the step ran (`RunInterrupted`): nothing
 *   about the client is judged from it;
 * - error: anything else (another exception, a hook, an undefined/ambiguous/pending/skipped step).
 */
export type FailureKind = 'nonconformance' | 'client-action' | 'interrupted' | 'error';

export interface CollectedFailure {
  kind: FailureKind;
  /** The step's keyword and text ("When the user adds the partner tenant"), or the hook's description. */
  step: string;
  /** The exception's message, or a description of the status ("undefined step"). */
  message: string;
  /** The exception's type (its constructor name), when the step threw. */
  exceptionType?: string;
  /** The step's own status. */
  status: ScenarioStatus;
}

export interface CollectedCheck extends CheckRecord {
  /** The step that emitted the check. */
  step: string;
}

/** A check step the scenario's plan record announced, and how far it got. */
export interface CollectedPlannedCheck {
  /** The step's keyword and text. */
  step: string;
  /** The requirements it would cover in this scenario. */
  requirements: string[];
  /** How the step ended: `passed` only if it ran its check through and the check passed. */
  status: ScenarioStatus;
}

export interface CollectedScenario {
  /** The pickle id. */
  id: string;
  name: string;
  /** "features/x.feature:LINE": the scenario's line, or the Examples row's line for an outline row. */
  location: string;
  uri: string;
  line: number;
  tags: string[];
  /** Requirement ids named by the `@req:` tags, in tag order. */
  requirements: string[];
  /** The attempt the scenario is judged by (the last one), 0-based as Cucumber counts. */
  attempt: number;
  status: ScenarioStatus;
  /** The first step that did not pass, when the scenario did not pass. */
  failure?: CollectedFailure;
  /** Every check record the scenario's steps emitted, in order. */
  checks: CollectedCheck[];
  /** Check outcomes per requirement id. */
  outcomes: Record<string, { passed: number; failed: number }>;
  /**
   * Every check step the scenario had, from its plan record; absent when the stream has none (an
   * older harness, another suite's steps).
   */
  plan?: CollectedPlannedCheck[];
  /** Suite bugs seen in the scenario's messages (a malformed check or plan record). */
  problems: string[];
}

interface AttemptState {
  testCaseId: string;
  attempt: number;
  sequence: number;
  results: Map<string, TestStepResult>;
  /** Check and plan records, in the order attached. */
  attachments: Attachment[];
}

interface StepNode {
  line: number;
  keyword?: string;
}

const STATUS_BY_CUCUMBER: Record<string, ScenarioStatus> = {
  PASSED: 'passed',
  FAILED: 'failed',
  SKIPPED: 'skipped',
  PENDING: 'pending',
  UNDEFINED: 'undefined',
  AMBIGUOUS: 'ambiguous',
  UNKNOWN: 'unknown',
};

/** Why an interrupted scenario has no verdict of its own. */
export const NOT_STARTED = 'not run: the run was interrupted before this scenario started';

/** Severity order, least to most severe (as Cucumber's getWorstTestStepResult). */
const SEVERITY: ScenarioStatus[] = [
  'passed',
  'skipped',
  'not-run',
  'unknown',
  'pending',
  'undefined',
  'ambiguous',
  'failed',
];

function statusOf(result: TestStepResult | undefined): ScenarioStatus {
  if (result === undefined) return 'unknown';
  const status: string = result.status;
  return STATUS_BY_CUCUMBER[status] ?? 'unknown';
}

/** The message of an error without its stack frames. */
function withoutStack(text: string): string {
  const lines = text.split('\n');
  const end = lines.findIndex((line) => /^\s+at\s/.test(line));
  return (end === -1 ? lines : lines.slice(0, end)).join('\n').trim();
}

/** How a step that did not pass is judged (FailureKind); `isHook` for a Before or After hook. */
export function failureKind(result: TestStepResult | undefined, isHook: boolean): FailureKind {
  const status = statusOf(result);
  const type = exceptionTypeOf(result);
  if (status === 'failed' && type === 'RunInterrupted') return 'interrupted';
  // A hook fails with Nonconformance only for violations a step noted and went on past.
  if (status === 'failed' && type === 'Nonconformance') return 'nonconformance';
  if (status === 'failed' && !isHook && type === 'ClientActionError') return 'client-action';
  return 'error';
}

/** The exception's type (its constructor name), from the exception or from "Type: message". */
export function exceptionTypeOf(result: TestStepResult | undefined): string | undefined {
  return result?.exception?.type ?? typeFromMessage(result?.message);
}

/** "Nonconformance: msg" → "Nonconformance", for results that carry only the message text. */
function typeFromMessage(text: string | undefined): string | undefined {
  const match = text === undefined ? null : /^([A-Za-z_$][\w$]*):\s/.exec(text.trimStart());
  return match?.[1];
}

function decodeBody(attachment: Attachment): string {
  const encoding: string = attachment.contentEncoding;
  return encoding === 'BASE64' ? Buffer.from(attachment.body, 'base64').toString('utf8') : attachment.body;
}

/** The record's fields, or what is wrong with it. */
function parseObject(body: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return `not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  return value as Record<string, unknown>;
}

function isRequirementList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((id): id is string => typeof id === 'string' && id !== '')
  );
}

const REQUIREMENTS_RULE = '"requirements" must be a non-empty array of requirement ids';

function parseCheck(body: string): CheckRecord | string {
  const record = parseObject(body);
  if (typeof record === 'string') return record;
  const requirements = record.requirements;
  if (!isRequirementList(requirements)) return REQUIREMENTS_RULE;
  if (record.outcome !== 'passed' && record.outcome !== 'failed') {
    return '"outcome" must be "passed" or "failed"';
  }
  if (typeof record.expectation !== 'string') return '"expectation" must be a string';
  if (record.actual !== undefined && typeof record.actual !== 'string') return '"actual" must be a string';
  const check: CheckRecord = {
    requirements: [...requirements],
    outcome: record.outcome,
    expectation: record.expectation,
  };
  if (typeof record.actual === 'string') check.actual = record.actual;
  return check;
}

/** A plan record's checks, each naming one of the scenario's `stepCount` steps, or what is wrong. */
function parsePlan(body: string, stepCount: number): PlannedCheck[] | string {
  const record = parseObject(body);
  if (typeof record === 'string') return record;
  const checks = record.checks;
  if (!Array.isArray(checks)) return '"checks" must be an array';
  const planned: PlannedCheck[] = [];
  for (const [index, value] of checks.entries()) {
    const entry = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const { step, requirements } = entry;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step >= stepCount) {
      return `checks[${index}]: "step" must be the index of one of the scenario's ${stepCount} steps`;
    }
    if (!isRequirementList(requirements)) return `checks[${index}]: ${REQUIREMENTS_RULE}`;
    planned.push({ step, requirements: [...requirements] });
  }
  return planned;
}

/**
 * The scenario's planned checks, from its one plan record, each with how its step ended (`ran`: by
 * the pickle's step index, undefined for a step with no test step); undefined without a plan
 * record; what is wrong, as a suite bug.
 */
function plannedChecks(
  records: readonly Attachment[],
  ran: readonly (Omit<CollectedPlannedCheck, 'requirements'> | undefined)[],
): CollectedPlannedCheck[] | string | undefined {
  const [record, ...more] = records;
  if (record === undefined) return undefined;
  if (more.length > 0) return `${records.length} plan records, where a scenario has one`;
  const parsed = parsePlan(decodeBody(record), ran.length);
  if (typeof parsed === 'string') return `malformed plan record: ${parsed}`;
  const planned: CollectedPlannedCheck[] = [];
  for (const { step, requirements } of parsed) {
    const how = ran[step];
    if (how === undefined) return `the plan record names step ${step}, which has no test step`;
    planned.push({ ...how, requirements });
  }
  return planned;
}

/** The records this harness attaches, by media type. */
const RECORD_KINDS: Partial<Record<string, 'check' | 'plan'>> = {
  [CHECK_MEDIA_TYPE]: 'check',
  [PLAN_MEDIA_TYPE]: 'plan',
};

/**
 * Collects what one Cucumber run (one target) showed, from its message stream only — the way a
 * cucumber-js formatter does. Feed it every envelope, then read `scenarios()`.
 */
export class TargetCollector {
  readonly target: Target;
  readonly #pickles = new Map<string, Pickle>();
  readonly #testCases = new Map<string, TestCase>();
  readonly #hooks = new Map<string, Hook>();
  readonly #scenarioLines = new Map<string, number>();
  readonly #steps = new Map<string, StepNode>();
  readonly #attempts = new Map<string, AttemptState>();
  readonly #runHooks = new Map<string, string>();
  readonly #errors: string[] = [];
  #sequence = 0;

  constructor(target: Target) {
    this.target = target;
  }

  onMessage(envelope: Envelope): void {
    if (envelope.gherkinDocument !== undefined) this.#indexDocument(envelope.gherkinDocument);
    if (envelope.pickle !== undefined) this.#pickles.set(envelope.pickle.id, envelope.pickle);
    if (envelope.hook !== undefined) this.#hooks.set(envelope.hook.id, envelope.hook);
    if (envelope.testCase !== undefined) this.#testCases.set(envelope.testCase.id, envelope.testCase);
    if (envelope.testCaseStarted !== undefined) {
      const started = envelope.testCaseStarted;
      this.#attempts.set(started.id, {
        testCaseId: started.testCaseId,
        attempt: started.attempt,
        sequence: this.#sequence++,
        results: new Map(),
        attachments: [],
      });
    }
    if (envelope.testStepFinished !== undefined) {
      const finished = envelope.testStepFinished;
      this.#attempts
        .get(finished.testCaseStartedId)
        ?.results.set(finished.testStepId, finished.testStepResult);
    }
    if (envelope.attachment !== undefined) {
      const attachment = envelope.attachment;
      const record = RECORD_KINDS[attachment.mediaType];
      if (record !== undefined) {
        const state =
          attachment.testCaseStartedId === undefined
            ? undefined
            : this.#attempts.get(attachment.testCaseStartedId);
        if (state !== undefined) state.attachments.push(attachment);
        else this.#errors.push(`a ${record} record was attached outside any scenario (ignored)`);
      }
    }
    if (envelope.parseError !== undefined) {
      const { source, message } = envelope.parseError;
      const where = source.uri === undefined ? '' : `${source.uri}${lineSuffix(source.location?.line)}: `;
      this.#errors.push(`parse error: ${where}${message}`);
    }
    if (envelope.testRunHookStarted !== undefined) {
      this.#runHooks.set(envelope.testRunHookStarted.id, envelope.testRunHookStarted.hookId);
    }
    if (envelope.testRunHookFinished !== undefined) {
      const finished = envelope.testRunHookFinished;
      const status = statusOf(finished.result);
      if (status !== 'passed' && status !== 'skipped') {
        const hookId = this.#runHooks.get(finished.testRunHookStartedId);
        const hook = hookId === undefined ? undefined : this.#hooks.get(hookId);
        this.#errors.push(
          `${describeHook(hook, 'run')} ${status}: ${resultMessage(finished.result, status)}`,
        );
      }
    }
    if (envelope.testRunFinished !== undefined) {
      const finished = envelope.testRunFinished;
      if (finished.exception !== undefined) {
        this.#errors.push(
          `test run failed: ${finished.exception.type}: ${finished.exception.message ?? finished.message ?? ''}`,
        );
      } else if (!finished.success && finished.message !== undefined) {
        this.#errors.push(`test run failed: ${withoutStack(finished.message)}`);
      }
    }
  }

  /** Harness errors not tied to a scenario: parse errors, BeforeAll/AfterAll failures, a crashed run. */
  errors(): string[] {
    return [...this.#errors];
  }

  /**
   * Every scenario the run planned (a pickle with a test case), judged by its last attempt, in the
   * order Cucumber compiled them. A planned scenario that never started has status `not-run`.
   */
  scenarios(): CollectedScenario[] {
    const latest = new Map<string, AttemptState>();
    for (const state of this.#attempts.values()) {
      const pickleId = this.#testCases.get(state.testCaseId)?.pickleId;
      if (pickleId === undefined) continue;
      const current = latest.get(pickleId);
      if (
        current === undefined ||
        state.attempt > current.attempt ||
        (state.attempt === current.attempt && state.sequence > current.sequence)
      ) {
        latest.set(pickleId, state);
      }
    }
    // Cucumber emits a pickle for every scenario it compiled, and a test case only for those the
    // tag/name filters selected: a pickle without a test case was filtered out, not missed.
    const planned = new Map<string, TestCase>();
    for (const testCase of this.#testCases.values()) planned.set(testCase.pickleId, testCase);
    return [...this.#pickles.values()]
      .filter((pickle) => planned.has(pickle.id))
      .map((pickle) => this.#scenario(pickle, planned.get(pickle.id), latest.get(pickle.id)));
  }

  #scenario(
    pickle: Pickle,
    planned: TestCase | undefined,
    state: AttemptState | undefined,
  ): CollectedScenario {
    const tags = pickle.tags.map((tag) => tag.name);
    const requirements = unique(
      tags
        .filter((tag) => tag.startsWith(REQUIREMENT_TAG_PREFIX))
        .map((tag) => tag.slice(REQUIREMENT_TAG_PREFIX.length))
        .filter((id) => id !== ''),
    );
    const uri = pickle.uri.replaceAll('\\', '/');
    const lastNode = pickle.astNodeIds[pickle.astNodeIds.length - 1];
    const line =
      (lastNode === undefined ? undefined : this.#scenarioLines.get(lastNode)) ?? pickle.location?.line ?? 0;
    const scenario: CollectedScenario = {
      id: pickle.id,
      name: pickle.name,
      location: `${uri}${lineSuffix(line)}`,
      uri,
      line,
      tags,
      requirements,
      attempt: state?.attempt ?? 0,
      status: 'not-run',
      checks: [],
      outcomes: {},
      problems: [],
    };
    const testCase = state === undefined ? planned : (this.#testCases.get(state.testCaseId) ?? planned);
    if (state === undefined || testCase === undefined) {
      scenario.failure = { kind: 'error', step: '', message: 'the scenario did not run', status: 'not-run' };
      return scenario;
    }

    const stepTexts = new Map<string, string>();
    const firstPickleStep = testCase.testSteps.findIndex((step) => step.pickleStepId !== undefined);
    testCase.testSteps.forEach((testStep, index) => {
      if (testStep.pickleStepId !== undefined) {
        const pickleStep = pickle.steps.find((step) => step.id === testStep.pickleStepId);
        stepTexts.set(testStep.id, pickleStep === undefined ? '(unknown step)' : this.#stepText(pickleStep));
      } else {
        const hook = testStep.hookId === undefined ? undefined : this.#hooks.get(testStep.hookId);
        const before = firstPickleStep === -1 ? true : index < firstPickleStep;
        stepTexts.set(testStep.id, describeHook(hook, before ? 'before' : 'after'));
      }
    });

    let worst: ScenarioStatus = 'passed';
    let failedAt = -1;
    for (const [index, testStep] of testCase.testSteps.entries()) {
      const result = state.results.get(testStep.id);
      const status = statusOf(result);
      if (SEVERITY.indexOf(status) > SEVERITY.indexOf(worst)) worst = status;
      if (scenario.failure === undefined && status !== 'passed' && status !== 'skipped') {
        failedAt = index;
        const exceptionType = exceptionTypeOf(result);
        const failure: CollectedFailure = {
          kind: failureKind(result, testStep.pickleStepId === undefined),
          step: stepTexts.get(testStep.id) ?? '',
          message: result === undefined ? 'the step did not finish' : resultMessage(result, status),
          status,
        };
        if (exceptionType !== undefined) failure.exceptionType = exceptionType;
        scenario.failure = failure;
      }
    }
    if (scenario.failure === undefined && worst === 'skipped') {
      const skipped = testCase.testSteps.find((step) => statusOf(state.results.get(step.id)) === 'skipped');
      scenario.failure = {
        kind: 'error',
        step: skipped === undefined ? '' : (stepTexts.get(skipped.id) ?? ''),
        message: 'the scenario was skipped',
        status: 'skipped',
      };
    }
    scenario.status = worst;
    // What the steps from the interrupted one on recorded may be the shutdown's doing: not judged.
    const unjudged = new Set<string>();
    if (scenario.failure?.kind === 'interrupted') {
      for (const testStep of testCase.testSteps.slice(failedAt)) unjudged.add(testStep.id);
      if (firstPickleStep === -1 || failedAt < firstPickleStep) {
        scenario.status = 'not-run';
        scenario.failure = { ...scenario.failure, step: '', message: NOT_STARTED, status: 'not-run' };
      }
    }

    const ran = pickle.steps.map((pickleStep) => {
      const testStep = testCase.testSteps.find((candidate) => candidate.pickleStepId === pickleStep.id);
      if (testStep === undefined) return undefined;
      return { step: stepTexts.get(testStep.id) ?? '', status: statusOf(state.results.get(testStep.id)) };
    });
    const plan = plannedChecks(
      state.attachments.filter((attachment) => attachment.mediaType === PLAN_MEDIA_TYPE),
      ran,
    );
    if (typeof plan === 'string') scenario.problems.push(plan);
    else if (plan !== undefined) scenario.plan = plan;
    for (const attachment of state.attachments) {
      if (attachment.mediaType !== CHECK_MEDIA_TYPE) continue;
      if (attachment.testStepId !== undefined && unjudged.has(attachment.testStepId)) continue;
      const step = attachment.testStepId === undefined ? '' : (stepTexts.get(attachment.testStepId) ?? '');
      const parsed = parseCheck(decodeBody(attachment));
      if (typeof parsed === 'string') {
        scenario.problems.push(`malformed check record${step === '' ? '' : ` in step "${step}"`}: ${parsed}`);
        continue;
      }
      scenario.checks.push({ ...parsed, step });
      for (const id of unique(parsed.requirements)) {
        const counts = scenario.outcomes[id] ?? { passed: 0, failed: 0 };
        counts[parsed.outcome] += 1;
        scenario.outcomes[id] = counts;
      }
    }
    return scenario;
  }

  #stepText(step: Pickle['steps'][number]): string {
    const astId = step.astNodeIds[0];
    const keyword = astId === undefined ? undefined : this.#steps.get(astId)?.keyword?.trim();
    return keyword === undefined || keyword === '' || keyword === '*' ? step.text : `${keyword} ${step.text}`;
  }

  #indexDocument(document: GherkinDocument): void {
    const indexScenario = (scenario: Scenario): void => {
      this.#scenarioLines.set(scenario.id, scenario.location.line);
      for (const step of scenario.steps)
        this.#steps.set(step.id, { line: step.location.line, keyword: step.keyword });
      for (const examples of scenario.examples) {
        for (const row of examples.tableBody) this.#scenarioLines.set(row.id, row.location.line);
      }
    };
    const indexBackground = (
      steps: readonly { id: string; keyword: string; location: { line: number } }[],
    ) => {
      for (const step of steps) this.#steps.set(step.id, { line: step.location.line, keyword: step.keyword });
    };
    for (const child of document.feature?.children ?? []) {
      if (child.scenario !== undefined) indexScenario(child.scenario);
      if (child.background !== undefined) indexBackground(child.background.steps);
      for (const ruleChild of child.rule?.children ?? []) {
        if (ruleChild.scenario !== undefined) indexScenario(ruleChild.scenario);
        if (ruleChild.background !== undefined) indexBackground(ruleChild.background.steps);
      }
    }
  }
}

function lineSuffix(line: number | undefined): string {
  return line === undefined || line <= 0 ? '' : `:${line}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function describeHook(hook: Hook | undefined, position: 'before' | 'after' | 'run'): string {
  const hookType: string | undefined = hook?.type;
  let kind: string;
  switch (hookType) {
    case 'BEFORE_TEST_RUN':
      kind = 'BeforeAll hook';
      break;
    case 'AFTER_TEST_RUN':
      kind = 'AfterAll hook';
      break;
    case 'BEFORE_TEST_CASE':
      kind = 'Before hook';
      break;
    case 'AFTER_TEST_CASE':
      kind = 'After hook';
      break;
    case 'BEFORE_TEST_STEP':
      kind = 'BeforeStep hook';
      break;
    case 'AFTER_TEST_STEP':
      kind = 'AfterStep hook';
      break;
    default:
      kind = position === 'run' ? 'test run hook' : position === 'before' ? 'Before hook' : 'After hook';
  }
  const name = hook?.name === undefined || hook.name === '' ? '' : ` "${hook.name}"`;
  const reference = hook?.sourceReference;
  const where =
    reference?.uri === undefined
      ? ''
      : ` (${reference.uri.replaceAll('\\', '/')}${lineSuffix(reference.location?.line)})`;
  return `${kind}${name}${where}`;
}

function resultMessage(result: TestStepResult, status: ScenarioStatus): string {
  const fromException = result.exception?.message;
  if (fromException !== undefined && fromException !== '') return fromException;
  if (result.message !== undefined && result.message !== '') {
    const text = withoutStack(result.message);
    const type = typeFromMessage(text);
    return type === undefined ? text : text.slice(text.indexOf(':') + 1).trim();
  }
  switch (status) {
    case 'undefined':
      return 'undefined step: no step definition matches it';
    case 'ambiguous':
      return 'ambiguous step: several step definitions match it';
    case 'pending':
      return 'pending step';
    case 'failed':
      return 'the step failed without a message';
    default:
      return `the step ended ${status}`;
  }
}
