/**
 * The check steps a suite defines, each with the requirements it can give evidence for, and the
 * plan record of a scenario made from them: which of its steps are checks, and of what. The
 * conformance suite keeps one registry (`steps/check.ts`); the report's tests' mini suite another.
 */
import { CucumberExpression, ParameterTypeRegistry } from '@cucumber/cucumber-expressions';
import type { PlannedCheck, PlanRecord } from './verdict.ts';

/**
 * The requirements a check covers in a scenario: those of its own that the scenario's @req tags
 * name, else all of them.
 */
export function coveredRequirements(declared: readonly string[], tagged: readonly string[]): string[] {
  const named = declared.filter((id) => tagged.includes(id));
  return named.length > 0 ? named : [...declared];
}

/**
 * What a check verifies: a requirement's clause, `ID#clause` (features/requirements.yaml), or a whole
 * requirement, `ID`.
 */
export type ClauseRef = string;

/** The requirement a clause reference belongs to. */
export function requirementOf(ref: ClauseRef): string {
  return ref.split('#', 1)[0] ?? ref;
}

/** The requirements the clause references belong to, each once, in order. */
export function requirementsOf(refs: readonly ClauseRef[]): string[] {
  return [...new Set(refs.map(requirementOf))];
}

export interface RegisteredCheck {
  pattern: string;
  expression: CucumberExpression;
  /** The clauses it verifies. */
  verifies: readonly ClauseRef[];
  requirements: readonly string[];
}

export class CheckRegistry {
  // Cucumber's built-in parameter types only: a check pattern using another one fails here, at load.
  readonly #parameterTypes = new ParameterTypeRegistry();
  readonly #checks: RegisteredCheck[] = [];

  /** A check step's Cucumber expression and the clauses it verifies. */
  register(pattern: string, verifies: readonly ClauseRef[]): void {
    this.#checks.push({
      pattern,
      expression: new CucumberExpression(pattern, this.#parameterTypes),
      verifies: [...verifies],
      requirements: requirementsOf(verifies),
    });
  }

  /** Every registered check, in registration order. */
  checks(): readonly RegisteredCheck[] {
    return this.#checks;
  }

  /** The registered check a step's text matches, if any. */
  match(text: string): RegisteredCheck | undefined {
    return this.#checks.find(({ expression }) => expression.match(text) !== null);
  }

  /** The plan of a scenario with these steps (a pickle's, in order) and these @req tags. */
  plan(steps: readonly { text: string }[], tagged: readonly string[]): PlanRecord {
    const checks: PlannedCheck[] = [];
    steps.forEach(({ text }, step) => {
      const registered = this.match(text);
      if (registered !== undefined) {
        checks.push({ step, requirements: coveredRequirements(registered.requirements, tagged) });
      }
    });
    return { checks };
  }
}
