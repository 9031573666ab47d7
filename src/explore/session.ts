/**
 * One explored sequence as a scenario the suite could have written: the suite's own step
 * definitions and hooks (loaded once, as a run loads them) run on a fresh ConformanceWorld, step by
 * step, so that what the explorer did is exactly what its reproducer's steps do under `run`.
 */
import { randomUUID } from 'node:crypto';
import type { RunParameters } from '../../steps/world.ts';
import { ClientActionError, Nonconformance } from '../verdict.ts';

/** The client broke a requirement (or did not offer what a step needed): what explore looks for. */
export class ExploreViolation extends Error {
  override name = 'ExploreViolation';
  readonly requirements: string[];
  readonly status: 'nonconforming' | 'blocked';

  constructor(requirements: string[], status: 'nonconforming' | 'blocked', message: string) {
    super(message);
    this.requirements = requirements;
    this.status = status;
  }
}

/** A step the suite does not define, or a hook or step that failed for a reason of the harness's. */
export class ExploreHarnessError extends Error {
  override name = 'ExploreHarnessError';
}

export type Keyword = 'Given' | 'When' | 'Then';

/**
 * What the explorer uses of the support code library a run loads (@cucumber/cucumber's
 * SupportCodeLibrary, which its public API leaves opaque): the World, the step definitions and the
 * hooks, each with its (wrapped) code.
 */
export interface SuiteLibrary {
  World: new (options: {
    parameters: unknown;
    attach: () => void;
    log: () => void;
    link: () => void;
  }) => unknown;
  stepDefinitions: readonly {
    matchesStepName(text: string): boolean;
    expression: { match(text: string): readonly { getValue(world: unknown): unknown }[] | null };
    code: (...args: unknown[]) => unknown;
  }[];
  beforeTestCaseHookDefinitions: readonly Hook[];
  afterTestStepHookDefinitions: readonly Hook[];
  afterTestCaseHookDefinitions: readonly Hook[];
  afterTestRunHookDefinitions: readonly Hook[];
}

interface Hook {
  code: (...args: unknown[]) => unknown;
}

/** A world as ConformanceWorld is, seen from here: the steps' `this`. */
interface ScenarioWorld {
  noted: Nonconformance[];
  requirements: string[];
}

export class ExploreSession {
  readonly #library: SuiteLibrary;
  readonly #parameters: RunParameters;
  #world: ScenarioWorld | undefined;
  /** The steps run so far, with their keywords. */
  readonly steps: { keyword: Keyword; text: string }[] = [];
  /** The explorer's commands run so far (fast-check skips those the model does not allow). */
  readonly commands: string[] = [];

  constructor(library: SuiteLibrary, parameters: RunParameters) {
    this.#library = library;
    this.#parameters = parameters;
  }

  /** The scenario's Before hooks on a fresh world. */
  async begin(): Promise<void> {
    const world = new this.#library.World({
      parameters: this.#parameters,
      attach: () => undefined,
      log: () => undefined,
      link: () => undefined,
    }) as ScenarioWorld;
    this.#world = world;
    const pickle = { id: randomUUID(), name: 'explore', uri: 'explore', tags: [], steps: [] };
    for (const hook of this.#library.beforeTestCaseHookDefinitions) {
      await this.#hook(() => hook.code.apply(world, [{ pickle }]), 'a Before hook');
    }
  }

  /**
   * Runs `text` as the suite would (a check asked about `requirement`), then the AfterStep hooks (the
   * invariants). A requirement broken, by the step or by an invariant after it, is an
   * ExploreViolation; anything else the harness's.
   */
  async step(keyword: Keyword, text: string, requirement?: string): Promise<void> {
    const world = this.#requireWorld();
    this.steps.push({ keyword, text });
    // What a check is asked about, as its scenario's @req tag would say; its other requirements aside.
    world.requirements = requirement === undefined ? [] : [requirement];
    const matching = this.#library.stepDefinitions.filter((definition) => definition.matchesStepName(text));
    const [definition] = matching;
    if (definition === undefined || matching.length > 1) {
      throw new ExploreHarnessError(
        `the step "${text}" matches ${matching.length === 0 ? 'no' : matching.length} step definitions`,
      );
    }
    const args = (definition.expression.match(text) ?? []).map((argument) => argument.getValue(world));
    try {
      await definition.code.apply(world, args);
    } catch (error) {
      throw judged(error, `${keyword} ${text}`);
    }
    for (const hook of this.#library.afterTestStepHookDefinitions) {
      await this.#hook(
        () => hook.code.apply(world, [{ pickleStep: { text }, result: { status: 'PASSED' } }]),
        `the AfterStep hook after "${text}"`,
      );
    }
    const [noted] = world.noted;
    if (noted) throw judged(noted, `${keyword} ${text}`);
  }

  /** The After hooks: the client stopped, what the scenario held released. */
  async end(passed: boolean): Promise<void> {
    const world = this.#world;
    this.#world = undefined;
    if (world === undefined) return;
    const result = { status: passed ? 'PASSED' : 'FAILED' };
    for (const hook of [...this.#library.afterTestCaseHookDefinitions].reverse()) {
      try {
        await hook.code.apply(world, [{ result }]);
      } catch (error) {
        // A violation the After hook reports (an unknown policy API call) counts only in a passing sequence.
        if (passed) throw judged(error, 'the end of the sequence');
      }
    }
  }

  /** The run's AfterAll hooks: a client process per worker stopped, the simulated world released. */
  async close(): Promise<void> {
    for (const hook of this.#library.afterTestRunHookDefinitions) {
      await hook.code.apply({ parameters: this.#parameters }, []);
    }
  }

  async #hook(run: () => unknown, what: string): Promise<void> {
    try {
      await run();
    } catch (error) {
      throw judged(error, what);
    }
  }

  #requireWorld(): ScenarioWorld {
    if (this.#world === undefined) throw new ExploreHarnessError('no sequence has begun');
    return this.#world;
  }
}

/** What an error thrown at `where` says of the client: a violation, or the harness failing. */
function judged(error: unknown, where: string): Error {
  if (error instanceof ExploreViolation || error instanceof ExploreHarnessError) return error;
  if (error instanceof Nonconformance) {
    return new ExploreViolation(error.requirements, 'nonconforming', `${where}: ${error.message}`);
  }
  if (error instanceof ClientActionError) {
    return new ExploreViolation([], 'blocked', `${where}: ${error.message}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ExploreHarnessError(`${where}: ${message}`, { cause: error });
}
