import { applies, describeApplicability, targetLabel } from '../catalog/applicability.ts';
import type { Requirement, Target } from '../catalog/types.ts';
import { type Interruption, interruptedMessage } from '../runner/interruption.ts';
import type { CollectedCheck, CollectedScenario } from './collect.ts';
import type { RequirementResult, ScenarioResult, ScenarioVerdict } from './types.ts';

/**
 * The requirements a scenario speaks to: its `@req:` tags, then any other requirement its checks
 * named or its plan record says they would name.
 */
export function scenarioRequirements(scenario: CollectedScenario): string[] {
  const ids = new Set(scenario.requirements);
  for (const check of [...scenario.checks, ...(scenario.plan ?? [])]) {
    for (const id of check.requirements) ids.add(id);
  }
  return [...ids];
}

/**
 * "actual: <what the client did>; expected: <expectation>" — what a failed check says, the client's
 * behaviour first, since that is what a cut summary line must still show.
 */
export function checkMessage(check: CollectedCheck, scenario?: CollectedScenario): string {
  if (check.actual !== undefined && check.actual !== '') {
    return `actual: ${check.actual}; expected: ${check.expectation}`;
  }
  const failure = scenario?.failure;
  if (failure?.kind === 'nonconformance' && failure.step === check.step && failure.message !== '') {
    return failure.message;
  }
  return `expected: ${check.expectation}`;
}

function stepAndMessage(step: string, message: string): string {
  return step === '' ? message : `${step}: ${message}`;
}

/**
 * Whether the scenario went through every check of the requirement it had: it did not stop, or its
 * plan record shows no check of the requirement it did not run through. A scenario that stopped
 * without a plan record may have had one ahead, so it has not.
 */
function finishedChecking(scenario: CollectedScenario, requirement: string): boolean {
  if (scenario.failure === undefined) return true;
  if (scenario.plan === undefined) return false;
  return scenario.plan.every(
    (check) => check.status === 'passed' || !check.requirements.includes(requirement),
  );
}

/**
 * What one scenario showed about one requirement:
 * - failed: a check of the requirement failed;
 * - passed: a check of it passed, none failed, and the scenario ran every check of it it had;
 * - blocked: not finished, and the scenario stopped on another requirement's nonconformance or on a
 *   ClientActionError;
 * - error: not finished, and the scenario stopped on anything else (the run's interruption too) — or
 *   passed without checking a requirement it is tagged with (a suite bug).
 */
export function scenarioVerdict(scenario: CollectedScenario, requirement: string): ScenarioResult {
  const result = (verdict: ScenarioVerdict, step?: string, message?: string): ScenarioResult => {
    const out: ScenarioResult = { name: scenario.name, location: scenario.location, verdict };
    if (step !== undefined && step !== '') out.step = step;
    if (message !== undefined) out.message = message;
    return out;
  };
  const checks = scenario.checks.filter((check) => check.requirements.includes(requirement));
  const failedCheck = checks.find((check) => check.outcome === 'failed');
  if (failedCheck !== undefined) {
    return result('failed', failedCheck.step, checkMessage(failedCheck, scenario));
  }
  const problem = scenario.problems[0];
  if (problem !== undefined) return result('error', undefined, `suite bug: ${problem}`);
  if (checks.length > 0 && finishedChecking(scenario, requirement)) return result('passed');

  const failure = scenario.failure;
  if (failure !== undefined) {
    if (failure.kind === 'nonconformance' && !scenario.checks.some((check) => check.outcome === 'failed')) {
      return result(
        'error',
        failure.step,
        `suite bug: ${stepAndMessage(failure.step, 'the step failed with Nonconformance but emitted no failed check record')}: ${failure.message}`,
      );
    }
    if (failure.kind === 'interrupted')
      return result('error', failure.step, stepAndMessage(failure.step, failure.message));
    if (failure.kind === 'nonconformance' || failure.kind === 'client-action') {
      return result('blocked', failure.step, `blocked: ${stepAndMessage(failure.step, failure.message)}`);
    }
    const type =
      failure.exceptionType !== undefined && failure.exceptionType !== '' ? `${failure.exceptionType}: ` : '';
    return result('error', failure.step, stepAndMessage(failure.step, `${type}${failure.message}`));
  }
  return result(
    'error',
    undefined,
    `scenario is tagged @req:${requirement} but no step checked ${requirement}`,
  );
}

function notStarted(scenario: CollectedScenario): boolean {
  return scenario.status === 'not-run' && scenario.failure?.kind === 'interrupted';
}

function byLocation(a: CollectedScenario, b: CollectedScenario): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return a.line - b.line;
}

/**
 * One requirement's status on one target, from every scenario of that target's run that covers it:
 * not-applicable (catalog) › not-covered › nonconforming › error › blocked › conforms. It conforms
 * only when each of those scenarios passed it. Error wins over blocked: the harness failed to judge
 * a scenario, and the cell must say so (exit 2) whatever the others showed.
 * A scenario that speaks to a requirement that does not apply to the target is a suite bug: error.
 */
export function requirementResult(
  requirement: Requirement,
  target: Target,
  scenarios: readonly CollectedScenario[],
  interrupted?: Interruption,
): RequirementResult {
  const relevant = scenarios
    .filter((scenario) => scenarioRequirements(scenario).includes(requirement.id))
    .sort(byLocation);
  const base = {
    requirement: requirement.id,
    title: requirement.title,
    level: requirement.level,
    platform: target.platform,
    clientVersion: target.clientVersion,
  };
  const label = targetLabel(target);

  if (!applies(requirement, target)) {
    const first = relevant[0];
    if (first === undefined) {
      return {
        ...base,
        status: 'not-applicable',
        scenarios: [],
        message: `${requirement.id} applies to ${describeApplicability(requirement.appliesTo)}, not ${label}`,
      };
    }
    const more = relevant.length > 1 ? ` (and ${relevant.length - 1} more scenario(s))` : '';
    const message = `scenario ${first.name} ran on ${label} but ${requirement.id} does not apply there${more}`;
    return {
      ...base,
      status: 'error',
      scenarios: relevant.map((scenario) => ({
        name: scenario.name,
        location: scenario.location,
        verdict: 'error',
        message: `scenario ${scenario.name} ran on ${label} but ${requirement.id} does not apply there`,
      })),
      message,
    };
  }

  // An interrupted run judged nothing of a requirement none of whose scenarios started (a merge of
  // an interrupted shard's stream knows it from the scenarios alone, without the cause).
  if (relevant.every(notStarted) && (interrupted !== undefined || relevant.length > 0)) {
    const when = `before any scenario of ${requirement.id} ran on ${label}`;
    return {
      ...base,
      status: 'not-covered',
      scenarios: [],
      message: `not checked: ${interrupted ? interruptedMessage(interrupted, when) : `the run was interrupted ${when}`}`,
    };
  }

  if (relevant.length === 0) {
    return {
      ...base,
      status: 'not-covered',
      scenarios: [],
      message: `no scenario covered ${requirement.id} on ${label}`,
    };
  }

  const results = relevant.map((scenario) => scenarioVerdict(scenario, requirement.id));
  const first = (verdict: ScenarioVerdict) => results.find((r) => r.verdict === verdict);
  const failed = first('failed');
  if (failed !== undefined) {
    return {
      ...base,
      status: 'nonconforming',
      scenarios: results,
      message: failed.message ?? 'a check failed',
    };
  }
  const errored = first('error');
  if (errored !== undefined) {
    return { ...base, status: 'error', scenarios: results, message: errored.message ?? 'a scenario errored' };
  }
  const blocked = first('blocked');
  if (blocked !== undefined) {
    return { ...base, status: 'blocked', scenarios: results, message: blocked.message ?? 'blocked' };
  }
  return { ...base, status: 'conforms', scenarios: results };
}
