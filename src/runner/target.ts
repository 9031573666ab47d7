/**
 * One target's suite run: Cucumber on the features, with the scenarios the target's platform and
 * version select, writing the target's official reports (messages, HTML, JUnit) and handing every
 * message to `onMessage`. Runs in the runner's process or in a worker process (workers.ts).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  type IRunConfiguration,
  type IRunEnvironment,
  type ISupportCodeLibrary,
  loadConfiguration,
  loadSources,
  loadSupport,
  runCucumber,
} from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { applies, targetLabel } from '../catalog/applicability.ts';
import type { Requirement, Target } from '../catalog/types.ts';
import { codeModule, PACKAGE_ROOT, STEP_FILES } from '../package-layout.ts';
import { targetFolder } from '../report/layout.ts';
import { type RunOptions, resolvedAgentAndEvidence, SUITE_NAME } from './options.ts';
import { targetTagExpression, type VersionTag } from './target-tags.ts';
import { ensureSimulatedWorld } from './worker-resources.ts';

/** What a target run needs of the run's options: JSON, so that it can cross to a worker process. */
export type TargetRunOptions = Omit<RunOptions, 'onProgress' | 'signal' | 'targets' | 'catalogFile'>;

export interface TargetJob {
  options: TargetRunOptions;
  target: Target;
  /** The full tag expression: the target's selection and the run's --tags. */
  tags: string;
  /** The run's report folder; the target writes below targets/. */
  reportDir: string;
  /** The catalog's requirements that apply to the target, by id. */
  applicable: string[];
  /**
   * Only these scenarios ("features/x.feature:LINE", an Examples row's own line for an outline row),
   * or feature files, as selection.ts chose them; all the tags select when absent.
   */
  scenarios?: string[];
  /** Only the scenarios whose name matches one of these regular expressions. */
  names?: string[];
  /** Which run of the target this is, from 1 (--repeat); the second and later write below repeat-N/. */
  repetition?: number;
}

/** A scenario a target's run would execute. */
export interface PlannedScenario {
  name: string;
  /** "features/x.feature", relative to the project. */
  uri: string;
  /** The scenario's line, or the Examples row's line for an outline row. */
  line: number;
}

/**
 * Step definitions are ES modules: imported once per process, they register once. Later runs in the
 * same process reuse the library the first run loaded.
 */
let supportLibrary: ISupportCodeLibrary | undefined;

/** Our junit.xml (src/report/junit.ts), which tells a harness error from a nonconformance. */
const JUNIT_FORMATTER = codeModule('../report/junit-formatter', import.meta.url).href;

/** What every target's job is made from. */
export interface JobContext {
  catalog: readonly Requirement[];
  versionTags: readonly VersionTag[];
  reportDir: string;
}

/** The job of one target: its scenarios are the ones its tags (and the run's --tags) select. */
export function targetJob(options: TargetRunOptions, target: Target, context: JobContext): TargetJob {
  const targetTags = targetTagExpression(target, context.versionTags);
  const tags = options.tags ? `(${options.tags}) and (${targetTags})` : targetTags;
  const applicable = context.catalog.filter((requirement) => applies(requirement, target)).map((r) => r.id);
  return { options, target, tags, reportDir: context.reportDir, applicable };
}

export function junitSuiteName(target: Target): string {
  return `${SUITE_NAME} (${targetLabel(target)})`;
}

export function targetReportDir(reportDir: string, target: Target, repetition = 1): string {
  const dir = path.join(reportDir, targetFolder(target));
  return repetition > 1 ? path.join(dir, `repeat-${repetition}`) : dir;
}

export async function runTarget(job: TargetJob, onMessage: (envelope: Envelope) => void): Promise<void> {
  const outDir = targetReportDir(job.reportDir, job.target, job.repetition);
  await mkdir(outDir, { recursive: true });
  const environment = runEnvironment();
  // The simulated world starts (its keys are made) while Cucumber loads; the first scenario's Before
  // hook gets the same world, or its failure.
  ensureSimulatedWorld(path.resolve(job.options.fixturesDir)).catch(() => undefined);
  const runConfiguration = await targetConfiguration(job, outDir, environment);
  const result = await runCucumber(
    supportLibrary ? { ...runConfiguration, support: supportLibrary } : runConfiguration,
    environment,
    onMessage,
  );
  supportLibrary = result.support;
}

/**
 * The suite's step definitions and hooks, as a run loads them (the same library, shared with the
 * runs of this process): for running steps one by one, outside a Cucumber run (src/explore/).
 */
export async function suiteSupport(job: TargetJob): Promise<ISupportCodeLibrary> {
  if (supportLibrary !== undefined) return supportLibrary;
  const environment = runEnvironment();
  const runConfiguration = await targetConfiguration(
    job,
    targetReportDir(job.reportDir, job.target),
    environment,
  );
  supportLibrary = await loadSupport(runConfiguration, environment);
  return supportLibrary;
}

/** The scenarios `runTarget(job)` would execute, in Cucumber's order, without running them. */
export async function planTarget(job: TargetJob): Promise<PlannedScenario[]> {
  const environment = runEnvironment();
  const { sources } = await targetConfiguration(job, targetReportDir(job.reportDir, job.target), environment);
  const { plan, errors } = await loadSources(sources, environment);
  const error = errors[0];
  if (error !== undefined) throw new Error(`${error.uri}: ${error.message}`);
  return plan.map(({ name, uri, location }) => ({
    name,
    uri: uri.replaceAll('\\', '/'),
    line: location.line,
  }));
}

function runEnvironment(): IRunEnvironment {
  return { cwd: PACKAGE_ROOT, stdout: discard(), stderr: process.stderr, env: process.env };
}

async function targetConfiguration(
  job: TargetJob,
  outDir: string,
  environment: IRunEnvironment,
): Promise<IRunConfiguration> {
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        ...suiteConfiguration(job, outDir),
        format: [
          `message:${path.join(outDir, 'messages.ndjson')}`,
          `html:${path.join(outDir, 'cucumber.html')}`,
          [JUNIT_FORMATTER, path.join(outDir, 'junit.xml')],
        ],
        formatOptions: { junit: { suiteName: junitSuiteName(job.target) } },
      },
    },
    environment,
  );
  return runConfiguration;
}

/**
 * The Cucumber configuration of a target's run but its formats: the features and steps, the
 * scenarios its tags, paths and names select, and the world parameters (steps/world.ts
 * RunParameters) its scenarios get, with evidence written below `outDir`.
 */
export function suiteConfiguration(job: TargetJob, outDir: string) {
  const { options, target, tags } = job;
  return {
    paths: job.scenarios ?? ['features/**/*.feature'],
    name: job.names ?? [],
    import: [STEP_FILES],
    tags,
    strict: true,
    worldParameters: {
      platform: target.platform,
      clientVersion: target.clientVersion,
      applicable: job.applicable,
      client: options.client,
      ...resolvedAgentAndEvidence(options),
      reportDir: outDir,
      freshContext: options.freshContext ?? false,
      fixturesDir: path.resolve(options.fixturesDir),
      ...(options.defect ? { defect: options.defect } : {}),
      ...(options.clientCommand !== undefined ? { clientCommand: options.clientCommand } : {}),
      ...(options.actionTimeoutMs !== undefined ? { actionTimeoutMs: options.actionTimeoutMs } : {}),
    },
  };
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
