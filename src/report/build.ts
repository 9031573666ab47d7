import { targetLabel } from '../catalog/applicability.ts';
import type { Requirement, Target } from '../catalog/types.ts';
import { describeCause, type Interruption } from '../runner/interruption.ts';
import { type CollectedScenario, NOT_STARTED, type TargetCollector } from './collect.ts';
import { gateExitCode } from './gate.ts';
import {
  type ConformanceReport,
  REQUIREMENT_STATUSES,
  type RequirementResult,
  type RequirementStatus,
} from './types.ts';
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
  /** The run was stopped before its end (src/runner/interruption.ts). */
  interrupted?: Interruption;
}

export interface ErrorReportInput extends ReportHeader {
  targets: Target[];
  /** Why the run could not start; every requirement × target gets it as its message. */
  message: string;
  errors?: string[];
}

/** The count of each status among `results`, and the scenario count. */
export function summaryOf(
  results: readonly RequirementResult[],
  scenarioCount: number,
): ConformanceReport['summary'] {
  const summary = Object.fromEntries(REQUIREMENT_STATUSES.map((status) => [status, 0])) as Record<
    RequirementStatus,
    number
  >;
  for (const result of results) summary[result.status] += 1;
  return { ...summary, scenarios: scenarioCount };
}

function assemble(
  header: ReportHeader,
  targets: readonly Target[],
  results: RequirementResult[],
  errors: string[],
  scenarioCount: number,
  interrupted?: Interruption,
): ConformanceReport {
  const summary = summaryOf(results, scenarioCount);
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
    ...(interrupted ? { interrupted: { by: interrupted.by, at: interrupted.at.toISOString() } } : {}),
    exitCode: 0,
    errors,
  };
  run.exitCode = gateExitCode({ results, run });
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

/**
 * Suite bugs and run failures a target's scenarios show that no requirement result carries. `cells`:
 * the target's result of each catalog requirement.
 */
function targetErrors(
  target: Target,
  collector: TargetCollector,
  scenarios: readonly CollectedScenario[],
  cells: ReadonlyMap<string, RequirementResult>,
): string[] {
  const label = targetLabel(target);
  const errors = collector.errors().map((error) => `${label}: ${error}`);
  for (const scenario of scenarios) {
    const ids = scenarioRequirements(scenario);
    for (const id of ids) {
      if (!cells.has(id)) {
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
    } else if (
      failure !== undefined &&
      failure.kind !== 'interrupted' &&
      ids.every((id) => cells.get(id)?.status === 'conforms')
    ) {
      // A scenario that did not pass must fail the gate through a cell it covers; one that stopped
      // after its last check (a step after it that the client refused) would otherwise exit 0.
      errors.push(
        `${label}: scenario ${scenario.name} (${scenario.location}) did not pass, yet every requirement it covers conforms: ${why}`,
      );
    }
  }
  return errors;
}

/**
 * The conformance report of a run: every catalog requirement on every target (catalog order, then
 * target order), a summary, and the exit code (2 on any error, 1 on a nonconformance or a block, else 0).
 * A scenario that did not pass always leaves a cell it covers failing the gate, or the run in error.
 */
export function buildReport(input: BuildReportInput): ConformanceReport {
  const { interrupted } = input;
  const perTarget = input.targets.map(({ target, collector }) => {
    const scenarios = collector.scenarios().map((scenario) => (interrupted ? unstarted(scenario) : scenario));
    const cells = new Map(
      input.catalog.map((requirement) => [
        requirement.id,
        requirementResult(requirement, target, scenarios, interrupted),
      ]),
    );
    return { target, collector, scenarios, cells };
  });
  const results = input.catalog.flatMap((requirement) =>
    perTarget.flatMap(({ cells }) => cells.get(requirement.id) ?? []),
  );
  const errors = [...input.errors];
  for (const { target, collector, scenarios, cells } of perTarget) {
    errors.push(...targetErrors(target, collector, scenarios, cells));
  }
  const scenarioCount = perTarget.reduce(
    (sum, { scenarios }) => sum + scenarios.filter((scenario) => scenario.status !== 'not-run').length,
    0,
  );
  if (interrupted !== undefined) {
    const when = `the run was interrupted (${describeCause(interrupted.by)}) at ${interrupted.at.toISOString()}`;
    errors.unshift(
      scenarioCount === 0
        ? `${when}, before any scenario ran: nothing was judged`
        : `${when}: ${scenarioCount} scenario(s) ran, and what they showed before it stands; the step in flight and what had not run are not judged`,
    );
  }
  return assemble(
    input,
    perTarget.map(({ target }) => target),
    results,
    [...new Set(errors)],
    scenarioCount,
    interrupted,
  );
}

/** A planned scenario an interrupted run never started (a worker stopped first): not run, not an error. */
function unstarted(scenario: CollectedScenario): CollectedScenario {
  if (scenario.status !== 'not-run' || scenario.failure?.kind !== 'error') return scenario;
  return { ...scenario, failure: { ...scenario.failure, kind: 'interrupted', message: NOT_STARTED } };
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
