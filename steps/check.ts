/**
 * Check steps: a Then that verifies one documented or inferred behaviour. Each check names the
 * requirements it can give evidence for; the scenario's @req tags pick among them. Whether it passes
 * or fails, the check leaves a record in the message stream, which is what the report reads; every
 * check is also registered, so that each scenario's plan record can say which of its steps are checks.
 *
 * Any other step that sees the client break a requirement (an action, a flow, a Given that arranges
 * a state) reports it with `violated` or `noteViolation`: a failed check record of that requirement,
 * whatever the scenario's tags (docs/architecture.md, "Whose fault is it?").
 */
import { Then } from '@cucumber/cucumber';
import {
  CheckRegistry,
  type ClauseRef,
  coveredRequirements,
  type RegisteredCheck,
  requirementsOf,
} from '../src/check-registry.ts';
import {
  CHECK_MEDIA_TYPE,
  type CheckRecord,
  ClientActionError,
  Nonconformance,
  type PlanRecord,
} from '../src/verdict.ts';
import type { ConformanceWorld } from './world.ts';

/** Thrown by a check body: what the client did instead of the expected behaviour. */
class Unmet extends Error {}

export function unmet(actual: string): never {
  throw new Unmet(actual);
}

// biome-ignore lint/suspicious/noExplicitAny: step arguments are typed by each check's body
type CheckBody = (this: ConformanceWorld, ...args: any[]) => Promise<void>;

type Expectation = string | ((...args: string[]) => string);

const registry = new CheckRegistry();

/** Which of a scenario's steps are checks, and of which requirements (its @req tags `tagged`). */
export function checkPlan(steps: readonly { text: string }[], tagged: readonly string[]): PlanRecord {
  return registry.plan(steps, tagged);
}

/** Attaches a check record to the current step. */
export function recordCheck(
  world: ConformanceWorld,
  requirements: readonly string[],
  outcome: CheckRecord['outcome'],
  expectation: string,
  actual?: string,
): void {
  const record: CheckRecord = { requirements: [...requirements], outcome, expectation };
  if (actual) record.actual = actual;
  world.attach(JSON.stringify(record), CHECK_MEDIA_TYPE);
}

function nonconformance(
  requirements: readonly string[],
  expectation: string,
  actual: string,
): Nonconformance {
  return new Nonconformance(
    [...requirements],
    `${requirements.join(', ')}: expected ${expectation}, but ${actual}`,
  );
}

/** The suite's checks, for the clause audit (src/spec/clause-audit.ts). */
export function registeredChecks(): readonly RegisteredCheck[] {
  return registry.checks();
}

/**
 * A check step: `verifies` names the requirement clauses it verifies (`ID#clause`), and so the
 * requirements it can give evidence for.
 */
export function check(
  pattern: string,
  verifies: readonly ClauseRef[],
  expectation: Expectation,
  body: CheckBody,
): void {
  const requirements = requirementsOf(verifies);
  const step = async function (this: ConformanceWorld, ...args: string[]) {
    const expected = typeof expectation === 'string' ? expectation : expectation(...args);
    const covered = coveredRequirements(requirements, this.requirements);
    try {
      await body.apply(this, args);
    } catch (error) {
      if (!(error instanceof Unmet)) throw error;
      recordCheck(this, covered, 'failed', expected, error.message);
      throw nonconformance(covered, expected, error.message);
    }
    recordCheck(this, covered, 'passed', expected);
  };
  // Cucumber matches a step's parameters against the function's declared arity.
  Object.defineProperty(step, 'length', { value: body.length });
  registry.register(pattern, verifies);
  Then(pattern, step);
}

/**
 * A step saw the client break `requirement` and cannot go on: the requirement's failed check, and
 * the step fails with Nonconformance. Where the requirement does not apply to the target (a macOS
 * client showing a Windows-only form), nothing is judged: the flow is blocked.
 */
export function violated(
  world: ConformanceWorld,
  requirement: string,
  expectation: string,
  actual: string,
): never {
  if (!world.appliesHere(requirement)) throw new ClientActionError(`expected ${expectation}, but ${actual}`);
  recordCheck(world, [requirement], 'failed', expectation, actual);
  throw nonconformance([requirement], expectation, actual);
}

/**
 * A step saw the client break `requirement` but reached what it was doing (a tunnel overlap while the
 * end state is right), or an invariant saw it after a step (steps/invariants.ts): the failed check is
 * recorded now, once per requirement and scenario, the scenario goes on to check what it is about,
 * and fails at its end (steps/hooks.ts). One defect is not spread over unrelated requirements.
 */
export function noteViolation(
  world: ConformanceWorld,
  requirement: string,
  expectation: string,
  actual: string,
): void {
  if (!world.appliesHere(requirement) || world.noted.some((n) => n.requirements.includes(requirement)))
    return;
  recordCheck(world, [requirement], 'failed', expectation, actual);
  world.noted.push(nonconformance([requirement], expectation, actual));
}
