/** `connector-conformance run`: the run, its progress dots, the summary table and the verdict line. */
import path from 'node:path';
import { targetLabel } from '../catalog/applicability.ts';
import type { Target } from '../catalog/types.ts';
import { ConfigError } from '../config/error.ts';
import { loadConfig } from '../config/load.ts';
import { mergeRunSettings } from '../config/merge.ts';
import type { Platform } from '../fixtures/types.ts';
import { ReportFolderError } from '../report/folder.ts';
import { failsGate, gateFindings, partialCoverage, partialPass } from '../report/gate.ts';
import { renderSummaryTable } from '../report/summary.ts';
import type { ConformanceReport } from '../report/types.ts';
import { describeCause } from '../runner/interruption.ts';
import type { ProgressEvent, RunOptions } from '../runner/options.ts';
import { type RunOutcome, reportStartupFailure, runConformance, UsageError } from '../runner/run.ts';
import { runOptions } from './args.ts';
import { describeBundle } from './certify.ts';
import { useColor } from './color.ts';
import { err, out, table } from './output.ts';
import type { RunFlags } from './program.ts';
import { watchSignals } from './signals.ts';

/**
 * Runs the suite with the flags given, over the settings of the config file (the one named by
 * --config, or found in the current directory); returns the exit code.
 */
export async function runCommand(flags: RunFlags, features: string[]): Promise<number> {
  const partial: Partial<RunOptions> = {};
  let outcome: RunOutcome;
  const signals = watchSignals();
  try {
    try {
      // A config file refused still leaves a report, in the --report-dir given.
      if (flags.reportDir !== undefined) partial.reportDir = flags.reportDir;
      const fromConfig = await loadConfig({ file: flags.config, profile: flags.profile, cwd: process.cwd() });
      // --client-version alone keeps the file's platform, as --platform alone keeps its default versions.
      const fromFlags = runOptions(flags, features, partial, onePlatform(fromConfig?.targets));
      // A run refused from here on reports where the file and the flags together say.
      Object.assign(partial, mergeRunSettings(fromConfig, fromFlags));
      outcome = await runConformance({ ...partial, onProgress: progressPrinter(), signal: signals.signal });
    } catch (error) {
      const refusal = error instanceof ConfigError ? new UsageError(error.message) : error;
      if (!(refusal instanceof UsageError)) throw error;
      outcome = await reportStartupFailure(partial, refusal);
    }
  } catch (error) {
    return noReport(error);
  } finally {
    signals.dispose();
  }
  return printOutcome(outcome, useColor(flags.color));
}

/** The platform all of `targets` are on, if they are all on one. */
function onePlatform(targets: readonly Target[] | undefined): Platform | 'all' {
  const platforms = new Set(targets?.map((target) => target.platform));
  const [only] = platforms;
  return platforms.size === 1 && only !== undefined ? only : 'all';
}

/**
 * A run whose command line could not be parsed (`line` says why) still leaves a report, in the
 * --report-dir given before the bad flag.
 */
export async function refuseRun(flags: Partial<RunFlags>, line: string): Promise<number> {
  try {
    const reportDir = flags.reportDir === undefined ? {} : { reportDir: flags.reportDir };
    return printOutcome(await reportStartupFailure(reportDir, new UsageError(line)), false);
  } catch (error) {
    return noReport(error);
  }
}

/** Nowhere to write a report: the reason, in one line. */
function noReport(error: unknown): number {
  if (!(error instanceof ReportFolderError)) throw error;
  err(`connector-conformance: ${error.message}\n`);
  return 2;
}

/** The summary table, where the report is and the verdict; returns the exit code. */
export function printOutcome(outcome: RunOutcome, color: boolean): number {
  const { report, reportFile } = outcome;
  // Nothing ran (the run could not start, or its selection matched nothing): the reason, in one line.
  if (report.run.errors.length > 0 && report.summary.scenarios === 0) {
    err(`connector-conformance: ${report.run.errors[0]}\n`);
    err(`report: ${path.relative(process.cwd(), reportFile)}\n`);
    return report.run.exitCode;
  }
  table(`\n${renderSummaryTable(report, { color })}\n`);
  out(`\nreport: ${path.relative(process.cwd(), reportFile)}\n`);
  if (outcome.bundle) out(describeBundle(outcome.bundle));
  out(`${verdictLine(report)}\n`);
  return report.run.exitCode;
}

function verdictLine(report: ConformanceReport): string {
  const partial = partialCoverage(report);
  const checked = partial === undefined ? '' : ` (${partial})`;
  const stopped = report.run.interrupted;
  if (stopped !== undefined) {
    return `result: the run was interrupted (${describeCause(stopped.by)}, exit ${report.run.exitCode}): not a verdict${checked}; what was judged before it is above`;
  }
  switch (report.run.exitCode) {
    case 0: {
      const expected = report.summary['expected-nonconforming'];
      if (partial !== undefined) {
        const known = expected === 0 ? '' : ` (${expected} expected not to conform: ${report.run.expect})`;
        return `result: ${partialPass(report, partial)}${known}`;
      }
      return expected === 0
        ? 'result: every applicable requirement conforms (exit 0)'
        : `result: the gate passes (exit 0): ${expected} cell(s) expected not to conform (${report.run.expect}), every other applicable one conforms`;
    }
    case 1: {
      const findings = gateFindings(report);
      const also = findings.length > 0 ? `; ${findings.length} gate finding(s), marked » above` : '';
      if (!report.results.some((r) => failsGate(r.status))) {
        return `result: the gate fails (exit 1): ${findings.length} finding(s), marked » above${checked}`;
      }
      return `result: the client does not conform (exit 1): ${report.summary.nonconforming} nonconforming, ${report.summary.blocked} blocked${report.summary.flaky > 0 ? `, ${report.summary.flaky} flaky` : ''}${also}${checked}`;
    }
    default:
      return (
        `result: the run is not conclusive (exit 2): ${report.summary.error} requirement results in error, ` +
        `${report.run.errors.length} run errors (details above and in the report)${checked}`
      );
  }
}

function progressPrinter(): (event: ProgressEvent) => void {
  return (event) => {
    // Targets may run side by side (--parallel): a dot per scenario, a line per target as it ends.
    if (event.type === 'scenario-finished') out('.');
    if (event.type === 'target-finished') {
      const seconds = (event.durationMs / 1000).toFixed(1);
      out(` ${targetLabel(event.target)}: ${event.scenarios} scenarios in ${seconds} s\n`);
    }
  };
}
