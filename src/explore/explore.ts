/**
 * `connector-conformance explore`: model-based testing of a client with fast-check (`fc.commands`,
 * `fc.asyncModelRun`). Random sequences of what a person can do (commands.ts) run as the suite's own
 * steps (session.ts) against the client; after every command the suite's invariants and the model's
 * expectations are checked. A sequence that breaks one is shrunk by fast-check to the shortest that
 * still does, and written as a Gherkin scenario (reproducer.ts) that `run` replays.
 */
import path from 'node:path';
import fc from 'fast-check';
import type { RunParameters } from '../../steps/world.ts';
import { loadCatalog } from '../catalog/load.ts';
import type { Target } from '../catalog/types.ts';
import { loadFixtures } from '../fixtures/load.ts';
import type { Organisation } from '../fixtures/types.ts';
import { PACKAGE_ROOT } from '../package-layout.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { suiteConfiguration, suiteSupport, targetJob } from '../runner/target.ts';
import { findVersionTags } from '../runner/target-tags.ts';
import { releaseWorkerResources } from '../runner/worker-resources.ts';
import { checksOf, commandArbitraries } from './commands.ts';
import { type ExploreModel, type ExplorePartner, initialModel } from './model.ts';
import {
  ExploreHarnessError,
  ExploreSession,
  ExploreViolation,
  type Keyword,
  type SuiteLibrary,
} from './session.ts';

export interface ExploreOptions {
  /** The --client value, as `run` takes it. */
  client: string;
  target: Target;
  defect?: string;
  clientCommand?: string;
  /** Sequences to try at most. */
  runs: number;
  /** Commands per sequence at most. */
  maxSteps: number;
  seed: number;
  /** Stop trying new sequences after this many seconds (shrinking a failure still finishes). */
  timeBudgetSeconds: number;
  fixturesDir?: string;
  /** Where evidence would go; explore keeps none. */
  reportDir: string;
  /** The own-organisation user the client is enrolled as. */
  username?: string;
  onProgress?: (progress: ExploreProgress) => void;
}

export interface ExploreProgress {
  sequences: number;
  steps: number;
  seconds: number;
}

export const EXPLORE_DEFAULTS = { runs: 200, maxSteps: 20, timeBudgetSeconds: 60 } as const;

/** A sequence that broke a requirement, shrunk, with the steps that reproduce it. */
export interface ExploreFinding {
  requirements: string[];
  status: 'nonconforming' | 'blocked';
  message: string;
  /** The shrunk sequence, one command each. */
  commands: string[];
  /** The scenario's steps, as run. */
  steps: { keyword: Keyword; text: string }[];
  /**
   * Checks of the broken requirement that the reproducer ends with, so that a conforming client passes
   * it as a check (not only as an invariant that held), from the model where the sequence broke.
   */
  checks: string[];
  /** fast-check's path to the counterexample: with the seed, replays it at once. */
  path: string;
}

export interface ExploreResult {
  seed: number;
  /** Sequences run before the finding (or all, without one), shrinking not counted. */
  sequences: number;
  /** Commands run in those sequences. */
  steps: number;
  seconds: number;
  /** The own organisation, its user, and the partners the commands drew from. */
  main: { organisation: string; username: string };
  partners: ExplorePartner[];
  finding?: ExploreFinding;
}

const DEFAULT_USERNAME = 'alice@acme.example';
/** Every sequence starts where the article's flow does: the Private Access window. */
const OPEN_PRIVATE_ACCESS = 'I open Zscaler Client Connector and click Private Access';

export async function explore(options: ExploreOptions): Promise<ExploreResult> {
  const fixtures = await loadFixtures(options.fixturesDir ?? DEFAULT_OPTIONS.fixturesDir);
  const username = options.username ?? DEFAULT_USERNAME;
  const own = fixtures.organisations.find((org) => org.users.some((user) => user.username === username));
  if (own === undefined) throw new ExploreHarnessError(`no user "${username}" in the fixtures`);
  const partners = partnersOf(fixtures.organisations, own);
  const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);
  const versionTags = await findVersionTags(path.join(PACKAGE_ROOT, 'features'));
  const job = targetJob(
    {
      client: options.client,
      reportDir: options.reportDir,
      parallel: 0,
      fixturesDir: path.resolve(options.fixturesDir ?? DEFAULT_OPTIONS.fixturesDir),
      evidence: 'none',
      ...(options.defect === undefined ? {} : { defect: options.defect }),
      ...(options.clientCommand === undefined ? {} : { clientCommand: options.clientCommand }),
    },
    options.target,
    { catalog, versionTags, reportDir: options.reportDir },
  );
  const library = (await suiteSupport(job)) as unknown as SuiteLibrary;
  const parameters = suiteConfiguration(job, options.reportDir).worldParameters as RunParameters;
  const background = [
    `"${own.name}" allows its users to log in to other tenants`,
    ...partners.map((partner) => `"${partner.name}" allows partner logins from all tenants`),
    `Zscaler Client Connector for ${options.target.platform === 'windows' ? 'Windows' : 'macOS'} is enrolled as "${username}"`,
  ];

  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let sequences = 0;
  let steps = 0;
  let shrinking = false;
  let harnessError: ExploreHarnessError | undefined;
  const progress = () => options.onProgress?.({ sequences, steps, seconds: seconds() });

  /** One sequence: a fresh client enrolled, the commands, the client stopped; what it broke, if anything. */
  const attempt = async (commands: Iterable<Command>): Promise<Attempt> => {
    const model = initialModel(own.name);
    if (harnessError !== undefined) return { session: undefined, model, failure: harnessError };
    const session = new ExploreSession(library, parameters);
    let failure: unknown;
    try {
      await session.begin();
      for (const text of background) await session.step('Given', text);
      await session.step('When', OPEN_PRIVATE_ACCESS);
      await fc.asyncModelRun(() => ({ model, real: session }), commands);
    } catch (error) {
      failure = error;
    }
    try {
      await session.end(failure === undefined);
    } catch (error) {
      failure ??= error;
    }
    if (failure instanceof ExploreHarnessError) harnessError ??= failure;
    if (failure !== undefined && !(failure instanceof ExploreViolation))
      harnessError ??= harnessFailure(failure);
    if (!shrinking) {
      sequences += 1;
      steps += session.commands.length;
      progress();
    }
    return { session, model, failure };
  };

  const property = fc.asyncProperty(
    // size max: sequences of any length up to maxSteps, not mostly short ones.
    fc.commands(commandArbitraries(own.name, partners), { maxCommands: options.maxSteps, size: 'max' }),
    async (commands) => {
      // Past the budget, the runs left pass untried (fast-check's own time limit would abandon the
      // sequence in flight, and its client and browser with it).
      if (!shrinking && seconds() > options.timeBudgetSeconds) return;
      const { failure } = await attempt(commands);
      if (failure === undefined) return;
      // From the first failure on, fast-check only shrinks: those runs are not sequences tried.
      shrinking = true;
      throw failure;
    },
  );
  const details = await fc.check(property, {
    seed: options.seed,
    numRuns: options.runs,
  });
  const result: ExploreResult = {
    seed: options.seed,
    sequences,
    steps,
    seconds: seconds(),
    main: { organisation: own.name, username },
    partners,
  };
  try {
    if (harnessError !== undefined) throw harnessError;
    const counterexample = details.counterexample?.[0];
    if (!details.failed || counterexample === undefined) return result;
    const finding = await replay(attempt, counterexample, details.counterexamplePath ?? '');
    return { ...result, finding };
  } finally {
    const closing = new ExploreSession(library, parameters);
    await closing.close();
    await releaseWorkerResources();
  }
}

type Command = fc.AsyncCommand<ExploreModel, ExploreSession>;

interface Attempt {
  session: ExploreSession | undefined;
  /** The model as the sequence left it (where it broke, when it did). */
  model: ExploreModel;
  failure: unknown;
}

/** The shrunk sequence once more, for its steps and what it broke. */
async function replay(
  attempt: (commands: Iterable<Command>) => Promise<Attempt>,
  commands: Iterable<Command>,
  counterexamplePath: string,
): Promise<ExploreFinding> {
  const { session, model, failure } = await attempt(commands);
  const names = session?.commands ?? [...commands].map(String);
  if (failure instanceof ExploreViolation && session !== undefined) {
    const [requirement] = failure.requirements;
    return {
      requirements: failure.requirements,
      status: failure.status,
      message: failure.message,
      commands: names,
      steps: [...session.steps],
      checks: requirement === undefined ? [] : checksOf(requirement, model),
      path: counterexamplePath,
    };
  }
  if (failure !== undefined) throw harnessFailure(failure);
  throw new ExploreHarnessError(
    `the shortest failing sequence (${names.join(', ')}) passed when run again: the client or the simulated world is not deterministic`,
  );
}

function harnessFailure(error: unknown): ExploreHarnessError {
  if (error instanceof ExploreHarnessError) return error;
  return new ExploreHarnessError(error instanceof Error ? error.message : String(error), { cause: error });
}

/** The partner organisations commands may add: the others with ZPA, each with its first user. */
function partnersOf(organisations: readonly Organisation[], own: Organisation): ExplorePartner[] {
  return organisations
    .filter((org) => org.id !== own.id && org.services.zpa && org.users.length > 0)
    .slice(0, 3)
    .map((org) => ({ name: org.name, username: org.users[0]?.username ?? '' }));
}
