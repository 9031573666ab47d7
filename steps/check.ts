/**
 * Check steps: a Then that verifies one documented or inferred behaviour. Each check names the
 * requirements it can give evidence for; the scenario's @req tags pick among them. Whether it passes
 * or fails, the check leaves a record in the message stream, which is what the report reads; every
 * check is also registered, so that each scenario's plan record can say which of its steps are checks.
 */
import { Then } from '@cucumber/cucumber';
import { CheckRegistry, coveredRequirements } from '../src/check-registry.ts';
import { CHECK_MEDIA_TYPE, type CheckRecord, Nonconformance, type PlanRecord } from '../src/verdict.ts';
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

export function check(
  pattern: string,
  requirements: readonly string[],
  expectation: Expectation,
  body: CheckBody,
): void {
  const step = async function (this: ConformanceWorld, ...args: string[]) {
    const expected = typeof expectation === 'string' ? expectation : expectation(...args);
    const covered = coveredRequirements(requirements, this.requirements);
    try {
      await body.apply(this, args);
    } catch (error) {
      if (!(error instanceof Unmet)) throw error;
      recordCheck(this, covered, 'failed', expected, error.message);
      throw new Nonconformance(covered, `${covered.join(', ')}: expected ${expected}, but ${error.message}`);
    }
    recordCheck(this, covered, 'passed', expected);
  };
  // Cucumber matches a step's parameters against the function's declared arity.
  Object.defineProperty(step, 'length', { value: body.length });
  registry.register(pattern, requirements);
  Then(pattern, step);
}
