/**
 * `--repeat N`: every scenario ran N times, each repetition a report of its own (built from its own
 * messages). One report of them all: a scenario whose verdicts differ is `flaky`, and so is each
 * requirement it covers, unless another scenario gives a firmer verdict the same way every time.
 */
import { summaryOf } from './build.ts';
import { gateExitCode } from './gate.ts';
import type { ConformanceReport, RequirementResult, ScenarioResult, ScenarioVerdict } from './types.ts';

/** A scenario of no repetition but the first: the repetitions did not run the same scenarios. */
const MISSING: ScenarioVerdict = 'error';

export function combineRepetitions(repetitions: readonly ConformanceReport[]): ConformanceReport {
  const [first, ...others] = repetitions;
  if (first === undefined) throw new Error('combineRepetitions: no report');
  // An interrupted run's repetitions differ because it stopped, not because the client wavers.
  const combine = first.run.interrupted === undefined ? combineResult : leastFinished;
  const results = first.results.map((result, index) =>
    combine(
      result,
      others.map((report) => report.results[index]),
    ),
  );
  const errors = [...new Set(repetitions.flatMap((report) => report.run.errors))];
  const summary = summaryOf(
    results,
    repetitions.reduce((sum, report) => sum + report.summary.scenarios, 0),
  );
  const finishedAt =
    repetitions
      .map((report) => report.run.finishedAt)
      .toSorted()
      .at(-1) ?? first.run.finishedAt;
  return {
    ...first,
    run: {
      ...first.run,
      finishedAt,
      durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(first.run.startedAt)),
      repeat: repetitions.length,
      exitCode: gateExitCode({ results, run: { errors, interrupted: first.run.interrupted } }),
      errors,
    },
    summary,
    results,
  };
}

/** Interrupted: each cell as the repetition that got least far with it shows it. */
const UNFINISHED_FIRST: readonly string[] = ['nonconforming', 'error', 'blocked', 'not-covered'];

function leastFinished(
  result: RequirementResult,
  others: readonly (RequirementResult | undefined)[],
): RequirementResult {
  const all = [result, ...others.filter((other) => other !== undefined)];
  for (const status of UNFINISHED_FIRST) {
    const found = all.find((each) => each.status === status);
    if (found !== undefined) return found;
  }
  return result;
}

function combineResult(
  result: RequirementResult,
  others: readonly (RequirementResult | undefined)[],
): RequirementResult {
  if (result.scenarios.length === 0) return result;
  const scenarios: ScenarioResult[] = result.scenarios.map((scenario) => {
    const verdicts = [
      scenario.verdict,
      ...others.map(
        (other) => other?.scenarios.find((s) => s.location === scenario.location)?.verdict ?? MISSING,
      ),
    ];
    if (verdicts.every((verdict) => verdict === scenario.verdict)) return scenario;
    const differing = others
      .flatMap((other) => other?.scenarios.filter((s) => s.location === scenario.location) ?? [])
      .find((s) => s.verdict !== 'passed' && s.message !== undefined);
    const why = scenario.message ?? differing?.message;
    return {
      name: scenario.name,
      location: scenario.location,
      verdict: 'flaky',
      repetitions: verdicts,
      message: `${verdicts.join(', ')} in ${verdicts.length} runs${why === undefined ? '' : `; ${why}`}`,
    };
  });
  const flaky = scenarios.find((scenario) => scenario.verdict === 'flaky');
  if (flaky === undefined) return result;
  // A scenario that failed (or errored) every time still decides; a flaky one decides nothing else.
  const steady = (verdict: ScenarioVerdict) => scenarios.find((s) => s.verdict === verdict);
  const failed = steady('failed');
  const errored = steady('error');
  const base = { ...result, scenarios };
  if (failed !== undefined)
    return { ...base, status: 'nonconforming', message: failed.message ?? 'a check failed' };
  if (errored !== undefined)
    return { ...base, status: 'error', message: errored.message ?? 'a scenario errored' };
  return { ...base, status: 'flaky', message: `flaky: ${flaky.name} (${flaky.location}): ${flaky.message}` };
}
