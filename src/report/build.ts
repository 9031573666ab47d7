import { targetLabel } from '../catalog/applicability.ts';
import type { Requirement, Target } from '../catalog/types.ts';
import type { CollectedScenario, TargetCollector } from './collect.ts';
import type { ConformanceReport, RequirementResult } from './types.ts';
import { requirementResult, scenarioRequirements, scenarioVerdict } from './verdict.ts';

export interface ReportHeader {
  suite: { name: string; version: string };
  client: { name: string; driver: string; version: string; defect?: string };
  catalog: Requirement[];
  startedAt: Date;
  finishedAt: Date;
  /** The tag expression the run was filtered by, if any. */
  tags?: string;
}

export interface BuildReportInput extends ReportHeader {
  targets: { target: Target; collector: TargetCollector }[];
  /** Harness or environment errors not tied to a requirement. */
  errors: string[];
}

export interface ErrorReportInput extends ReportHeader {
  targets: Target[];
  /** Why the run could not start; every requirement × target gets it as its message. */
  message: string;
  errors?: string[];
}

export function emptySummary(): ConformanceReport['summary'] {
  return {
    conforms: 0,
    nonconforming: 0,
    blocked: 0,
    error: 0,
    'not-applicable': 0,
    'not-covered': 0,
    flaky: 0,
    scenarios: 0,
  };
}

export function exitCodeOf(results: readonly RequirementResult[], errors: readonly string[]): 0 | 1 | 2 {
  if (errors.length > 0 || results.some((r) => r.status === 'error')) return 2;
  if (results.some((r) => ['nonconforming', 'blocked', 'flaky'].includes(r.status))) return 1;
  return 0;
}

function assemble(
  header: ReportHeader,
  targets: readonly Target[],
  results: RequirementResult[],
  errors: string[],
  scenarioCount: number,
): ConformanceReport {
  const summary = emptySummary();
  for (const result of results) summary[result.status] += 1;
  summary.scenarios = scenarioCount;
  const client: ConformanceReport['client'] = {
    name: header.client.name,
    driver: header.client.driver,
    version: header.client.version,
  };
  if (header.client.defect !== undefined) client.defect = header.client.defect;
  const run: ConformanceReport['run'] = {
    startedAt: header.startedAt.toISOString(),
    finishedAt: header.finishedAt.toISOString(),
    durationMs: Math.max(0, header.finishedAt.getTime() - header.startedAt.getTime()),
    targets: targets.map((t) => ({ platform: t.platform, clientVersion: t.clientVersion })),
    exitCode: exitCodeOf(results, errors),
    errors,
  };
  if (header.tags !== undefined && header.tags !== '') run.tags = header.tags;
  return {
    reportVersion: 1,
    suite: { name: header.suite.name, version: header.suite.version },
    client,
    run,
    summary,
    results,
  };
}

/** Suite bugs and run failures a target's scenarios show that no requirement result carries. */
function targetErrors(
  target: Target,
  collector: TargetCollector,
  scenarios: readonly CollectedScenario[],
  catalogIds: ReadonlySet<string>,
): string[] {
  const label = targetLabel(target);
  const errors = collector.errors().map((error) => `${label}: ${error}`);
  for (const scenario of scenarios) {
    const ids = scenarioRequirements(scenario);
    for (const id of ids) {
      if (!catalogIds.has(id)) {
        errors.push(
          `${label}: scenario ${scenario.name} (${scenario.location}) names requirement ${id}, which is not in the catalog`,
        );
      }
    }
    const failure = scenario.failure;
    const why = failure === undefined ? scenario.status : `${failure.step}: ${failure.message}`;
    if (ids.length === 0 && scenario.status !== 'passed') {
      errors.push(
        `${label}: scenario ${scenario.name} (${scenario.location}) covers no requirement and did not pass: ${why}`,
      );
    } else if (
      failure?.kind === 'error' &&
      !ids.some((id) => scenarioVerdict(scenario, id).verdict === 'error')
    ) {
      // e.g. an After hook that failed once every check had passed: no requirement result carries it.
      errors.push(`${label}: scenario ${scenario.name} (${scenario.location}) ended in an error: ${why}`);
    }
  }
  return errors;
}

/**
 * The conformance report of a run: every catalog requirement on every target (catalog order, then
 * target order), a summary, and the exit code (2 on any error, 1 on a nonconformance or a block, else 0).
 */
export function buildReport(input: BuildReportInput): ConformanceReport {
  const catalogIds = new Set(input.catalog.map((requirement) => requirement.id));
  const perTarget = input.targets.map(({ target, collector }) => ({
    target,
    collector,
    scenarios: collector.scenarios(),
  }));
  const results: RequirementResult[] = [];
  for (const requirement of input.catalog) {
    for (const { target, scenarios } of perTarget) {
      results.push(requirementResult(requirement, target, scenarios));
    }
  }
  const errors = [...input.errors];
  for (const { target, collector, scenarios } of perTarget) {
    errors.push(...targetErrors(target, collector, scenarios, catalogIds));
  }
  const scenarioCount = perTarget.reduce(
    (sum, { scenarios }) => sum + scenarios.filter((scenario) => scenario.status !== 'not-run').length,
    0,
  );
  return assemble(
    input,
    perTarget.map(({ target }) => target),
    results,
    [...new Set(errors)],
    scenarioCount,
  );
}

/** The report of a run that could not start (bad flags, broken fixtures): every cell is `error`. */
export function errorReport(input: ErrorReportInput): ConformanceReport {
  const results: RequirementResult[] = [];
  for (const requirement of input.catalog) {
    for (const target of input.targets) {
      results.push({
        requirement: requirement.id,
        title: requirement.title,
        level: requirement.level,
        platform: target.platform,
        clientVersion: target.clientVersion,
        status: 'error',
        scenarios: [],
        message: input.message,
      });
    }
  }
  const errors = [...new Set([input.message, ...(input.errors ?? [])])];
  const report = assemble(input, input.targets, results, errors, 0);
  report.run.exitCode = 2;
  return report;
}
