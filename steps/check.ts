/**
 * Check steps: a Then that verifies one documented or inferred behaviour. Each check names the
 * requirements it can give evidence for; the scenario's @req tags pick among them. Whether it passes
 * or fails, the check leaves a record in the message stream, which is what the report reads.
 */
import { Then } from '@cucumber/cucumber';
import { CHECK_MEDIA_TYPE, type CheckRecord, Nonconformance } from '../src/verdict.ts';
import type { ConformanceWorld } from './world.ts';

/** Thrown by a check body: what the client did instead of the expected behaviour. */
class Unmet extends Error {}

export function unmet(actual: string): never {
  throw new Unmet(actual);
}

// biome-ignore lint/suspicious/noExplicitAny: step arguments are typed by each check's body
type CheckBody = (this: ConformanceWorld, ...args: any[]) => Promise<void>;

type Expectation = string | ((...args: string[]) => string);

export function check(
  pattern: string,
  requirements: readonly string[],
  expectation: Expectation,
  body: CheckBody,
): void {
  const step = async function (this: ConformanceWorld, ...args: string[]) {
    const expected = typeof expectation === 'string' ? expectation : expectation(...args);
    const tagged = requirements.filter((id) => this.requirements.includes(id));
    const covered = tagged.length > 0 ? tagged : [...requirements];
    const record = (outcome: CheckRecord['outcome'], actual?: string) =>
      this.attach(
        JSON.stringify({
          requirements: covered,
          outcome,
          expectation: expected,
          ...(actual ? { actual } : {}),
        }),
        CHECK_MEDIA_TYPE,
      );
    try {
      await body.apply(this, args);
    } catch (error) {
      if (!(error instanceof Unmet)) throw error;
      record('failed', error.message);
      throw new Nonconformance(covered, `${covered.join(', ')}: expected ${expected}, but ${error.message}`);
    }
    record('passed');
  };
  // Cucumber matches a step's parameters against the function's declared arity.
  Object.defineProperty(step, 'length', { value: body.length });
  Then(pattern, step);
}
