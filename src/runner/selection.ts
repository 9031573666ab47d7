/**
 * Which of a run's scenarios run, beyond the tags: the ones at given feature files and lines, or
 * whose names match (as cucumber-js selects them: `features/x.feature:LINE`, --name), a
 * deterministic slice of them (--shard i/n), the ones that did not pass in an earlier report
 * (--rerun-failed), and how often (--repeat N).
 *
 * A shard is a slice of the whole run, not of each target: every (target, scenario) the run would
 * execute, in target order, then file, then line (an outline row has its own line), and shard i of n
 * takes the items whose index mod n is i-1. Round robin rather than contiguous blocks: neighbouring
 * scenarios tend to cost the same (one file's flow, one target's client), so dealing them out
 * evens out the shards' run times, and a shard's size differs from another's by one scenario at most.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadSources } from '@cucumber/cucumber/api';
import { targetLabel } from '../catalog/applicability.ts';
import type { Target } from '../catalog/types.ts';
import { PACKAGE_ROOT } from '../package-layout.ts';
import type { ConformanceReport } from '../report/types.ts';
import { type PlannedScenario, planTarget, type TargetJob } from './target.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

export function scenarioLocation(scenario: Pick<PlannedScenario, 'uri' | 'line'>): string {
  return `${scenario.uri}:${scenario.line}`;
}

export interface PlannedItem {
  job: TargetJob;
  scenario: PlannedScenario;
}

/** Every scenario the jobs would run, in the order shards are dealt from. */
export async function planRun(jobs: readonly TargetJob[]): Promise<PlannedItem[]> {
  const items: PlannedItem[] = [];
  for (const job of jobs) {
    const scenarios = (await planTarget(job)).toSorted((a, b) =>
      a.uri === b.uri ? a.line - b.line : a.uri < b.uri ? -1 : 1,
    );
    for (const scenario of scenarios) items.push({ job, scenario });
  }
  return items;
}

export function inShard<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, index) => index % shard.count === shard.index - 1);
}

/** Per target ("windows 4.7"), the locations of the scenarios that did not pass in `report`. */
export function failedScenarios(report: ConformanceReport): Map<string, Set<string>> {
  const failed = new Map<string, Set<string>>();
  for (const result of report.results) {
    const label = targetLabel({ platform: result.platform, clientVersion: result.clientVersion });
    for (const scenario of result.scenarios) {
      if (scenario.verdict === 'passed') continue;
      const locations = failed.get(label) ?? new Set<string>();
      locations.add(scenario.location);
      failed.set(label, locations);
    }
  }
  return failed;
}

export interface Selection {
  /** Feature files and lines, as resolveFeaturePaths returns them. */
  paths?: string[];
  /** Regular expressions: a scenario whose name matches one of them is kept. */
  names?: string[];
  shard?: Shard;
  /** The earlier report of --rerun-failed, and how to name it in errors. */
  rerun?: { report: ConformanceReport; file: string };
}

/**
 * The jobs with the scenarios the selection keeps (`scenarios`, possibly empty: the target then
 * runs nothing and its requirements are not-covered). Throws when an earlier report's failing
 * scenario is not in this suite.
 */
export async function selectScenarios(
  jobs: readonly TargetJob[],
  selection: Selection,
): Promise<TargetJob[]> {
  const { paths, names } = selection;
  if ([paths, names, selection.shard, selection.rerun].every((given) => given === undefined))
    return [...jobs];
  // Cucumber selects by path, line and name as it would run them; the plan is what it selected.
  const narrowed = jobs.map((job) => ({
    ...job,
    ...(paths !== undefined ? { scenarios: paths } : {}),
    ...(names !== undefined ? { names } : {}),
  }));
  let items = await planRun(narrowed);
  if (selection.rerun !== undefined) {
    const { report, file } = selection.rerun;
    const failed = failedScenarios(report);
    items = items.filter(({ job, scenario }) =>
      failed.get(targetLabel(job.target))?.has(scenarioLocation(scenario)),
    );
    for (const [label, locations] of failed) {
      for (const location of locations) {
        const found = items.some(
          ({ job, scenario }) => targetLabel(job.target) === label && scenarioLocation(scenario) === location,
        );
        if (!found) {
          throw new Error(
            `--rerun-failed ${file}: scenario ${location} on ${label} is not one this run has (other features, targets, --tags, feature paths or --name?)`,
          );
        }
      }
    }
  }
  if (selection.shard !== undefined) items = inShard(items, selection.shard);
  return narrowed.map((job) => ({
    ...job,
    scenarios: items.filter((item) => item.job === job).map((item) => scenarioLocation(item.scenario)),
  }));
}

const FEATURE_PATH = /^(.+?\.feature)((?::\d+)*)$/;

/**
 * The run's feature paths ("features/x.feature", "features/x.feature:LINE:LINE", relative to the
 * current directory or to the project) as Cucumber takes them from the project: each a feature file
 * (of the suite, or one written with its steps: a reproducer of `explore`), each line a scenario's, a
 * Scenario Outline's or an Examples row's (on any target). Throws naming the first that is not.
 */
export async function resolveFeaturePaths(given: readonly string[]): Promise<string[]> {
  const resolved: string[] = [];
  for (const text of given) {
    const match = FEATURE_PATH.exec(text);
    if (match === null) {
      throw new Error(
        `${text}: expected a feature file, features/x.feature, or lines in it, features/x.feature:LINE`,
      );
    }
    const uri = suiteFeature(text, match[1] ?? '');
    const lines = (match[2] ?? '').split(':').filter((line) => line !== '');
    for (const line of lines) {
      const { plan } = await loadSources(
        { paths: [`${uri}:${line}`], names: [], tagExpression: '', order: 'defined', defaultDialect: 'en' },
        { cwd: PACKAGE_ROOT },
      );
      if (plan.length === 0)
        throw new Error(`${text}: line ${line} of ${uri} is no scenario or Examples row`);
    }
    resolved.push(`${uri}${match[2] ?? ''}`);
  }
  return resolved;
}

/**
 * The file as the project names it: "features/x.feature" for one of the suite's, a path relative to
 * the project ("../found/x.feature") for another.
 */
function suiteFeature(text: string, file: string): string {
  const candidates = [path.resolve(file), path.resolve(PACKAGE_ROOT, file)];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (found === undefined) throw new Error(`${text}: no such feature file`);
  return path.relative(PACKAGE_ROOT, found).split(path.sep).join('/');
}

/** Whether a path resolveFeaturePaths returned is one of the suite's features. */
export function inSuite(uri: string): boolean {
  return uri.startsWith('features/');
}

/** Each job `repeat` times: every target's first run, then every target's second, and so on. */
export function repeatJobs(jobs: readonly TargetJob[], repeat: number): TargetJob[] {
  return Array.from({ length: repeat }, (_, index) =>
    jobs.map((job) => (index === 0 ? job : { ...job, repetition: index + 1 })),
  ).flat();
}

/** The targets of an earlier report, for a rerun not told which. */
export function reportTargets(report: ConformanceReport): Target[] {
  return report.run.targets.map((target) => ({ ...target }));
}
