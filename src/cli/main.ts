/** `connector-conformance`: run the suite, list the requirements, list the reference client's defects. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFECTS } from '../../client/core/defects.ts';
import { describeApplicability, targetLabel } from '../catalog/applicability.ts';
import { loadCatalog } from '../catalog/load.ts';
import { ReportFolderError } from '../report/folder.ts';
import { failsGate, gateFindings, partialCoverage, partialPass } from '../report/gate.ts';
import { renderSummaryTable } from '../report/summary.ts';
import type { ConformanceReport } from '../report/types.ts';
import { describeCause } from '../runner/interruption.ts';
import type { ProgressEvent, RunOptions } from '../runner/options.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { type RunOutcome, reportStartupFailure, runConformance, UsageError } from '../runner/run.ts';
import { parseRunArgs } from './args.ts';
import { describeBundle, verifyCommand } from './certify.ts';
import { flagErrorLine } from './flags.ts';
import { diffCommand, expectCommand, historyCommand } from './gate-commands.ts';
import { err, out, table } from './output.ts';
import { serveClientCommand } from './serve-client.ts';
import { watchSignals } from './signals.ts';

const USAGE = `Usage: connector-conformance <command> [flags]

Commands:
  run            Run the conformance suite and write reports (default: all targets, reference client)
    --client NAME            reference (default: the bundled client, in process), ui (its web UI
                             through Chromium), ui:URL (a web client honouring docs/ui-contract.md)
                             remote:URL (a client serving ccdp/1 at URL on this machine; the
                             run takes its platform and version unless given) or image:NAME[:TAG]
                             (a local image serving ccdp/1, see Dockerfile: one container per
                             worker and target, started with testcontainers, host networking)
    --user-agent A           who signs in at the identity provider: http or browser
                             (default: browser for ui clients, else http)
    --evidence E             none, failures or all: screenshots after each step that changes the
                             screen and traces of failing scenarios (default: all for ui clients)
    --platform P             windows, macos or all (default all)
    --client-version X.Y     one client version instead of the default set (Windows 4.7, 4.6, 4.5; macOS 4.7)
    --defect NAME            switch on one of the reference client's defects
    --tags EXPR              Cucumber tag expression, e.g. "@req:EX-MAIN-ON"
    --report-dir DIR         where reports go (default reports): conformance.json, the page
                             index.html, summary.md (Markdown), targets/<platform>-<version>/
    --parallel N             worker processes sharing out the targets (default 0: all in this process)
    --fresh-context          a new browser context per scenario, instead of one per worker reset
                             between scenarios (slower; the isolation is the same)
    --fixtures DIR           fixtures folder (default the bundled fixtures)
    --no-color               plain summary
    --client-command CMD     start a client serving the driver protocol ccdp/1 (docs/driver-protocol.md),
                             one per worker: the shell command, with {port} (a free port on 127.0.0.1)
                             and optionally {platform} and {version} (the target) put in; implies
                             --client remote
    --action-timeout MS      how long a remote client may take to answer one request (default 10000)
    --expect FILE            cells known not to conform (YAML, see the expect command): a listed cell that does
                             not conform is expected-nonconforming and passes; one that conforms fails
                             the run until it is removed from FILE
    --baseline OLD.json      compare with an earlier report; its regressions fail the run
    --bundle                 also write reports/certification-bundle.tar: the reports, evidence and a
                             manifest (product, suite digest, environment, every file's SHA-256)
                             signed with Ed25519
    --product FILE           with --bundle: YAML naming vendor, product, version, build (and platforms)
    --signing-key KEY.pem    with --bundle: the Ed25519 private key to sign with (default: a fresh
                             key, whose public half is printed)
    --shard I/N              only the I-th of N slices of the run's scenarios (every target's, dealt
                             round robin); give each shard the same other flags, then merge
    --repeat N               run every scenario N times; one whose verdicts differ is flaky (exit 1)
    --rerun-failed FILE      run again only the scenarios that did not pass in FILE (a conformance.json),
                             on its targets; the requirements not run again are not-covered
    --pass-with-no-scenarios exit 0 when the selection (--tags, --shard, --rerun-failed) matches no
                             scenario; without it such a run exits 2: it checked nothing
  merge DIR...   Merge the report folders of run --shard 1/N … N/N (several runs' shards too, one
                 set per platform or version) into one, as one unsharded run would have written it
    --report-dir DIR         where the merged reports go (default reports)
    --no-color               plain summary
  serve-client   Serve the reference client over ccdp/1 on 127.0.0.1 until SIGTERM/SIGINT; prints
                 "ccdp/1 listening on http://127.0.0.1:PORT" first
    --platform P             windows or macos
    --client-version X.Y     the version it is
    --port N                 the port (default 0: any free one)
  env up         Start the simulated world alone (identity providers, the policy API over HTTP) on
                 127.0.0.1 and print its URLs; runs until SIGTERM/SIGINT
    --port N                 the policy API's port, the identity providers on the next ones
                             (default 0: free ports)
    --fixtures DIR           fixtures folder (default the bundled fixtures)
  expect         Write an expect file listing every nonconforming or blocked cell of a report
    --from REPORT            the conformance.json (or its folder) to read
    --out FILE               where to write it (default: stdout); each entry's reason is "TODO: why"
  diff OLD NEW   Regressions, fixes, other changes, new and removed requirements and targets between
                 two reports; exit 1 when NEW regressed
    --json                   the comparison as JSON
  history DIR... One HTML page of each requirement across a series of runs (folders or
                 conformance.json files, oldest first)
    --out FILE               where to write it (default history.html)
  verify BUNDLE  Check a certification bundle: its signature, every file's SHA-256, and that its
                 suite digest is a published suite version's; exit 0 verified, 1 not, 2 unreadable
    --public-key PEM         the signer's public key (default: the key the bundle carries)
  requirements   The requirement catalog as a table (--json for JSON)
  defects        The reference client's defects as JSON

Exit codes: 0 every applicable requirement conforms (or is expected not to), 1 a nonconformance, a
listed cell that now conforms or a regression against the baseline, 2 a harness or environment error
or bad input.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'run':
      return run(args);
    case 'merge':
      return (await import('./merge.ts')).mergeCommand(args);
    case 'serve-client':
      return serveClientCommand(args);
    case 'env':
      return (await import('./env-up.ts')).envCommand(args);
    case 'verify':
      return verifyCommand(args);
    case 'requirements':
      return requirements(args);
    case 'defects':
      return defects(args);
    case 'expect':
      return expectCommand(args);
    case 'diff':
      return diffCommand(args);
    case 'history':
      return historyCommand(args);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      err(
        `connector-conformance: unknown command "${command}" (the commands: ${COMMANDS.join(', ')}; connector-conformance help says more)\n`,
      );
      return 2;
  }
}

async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    out(`${USAGE}\n`);
    return 0;
  }
  const partial: Partial<RunOptions> = {};
  let color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  let outcome: RunOutcome;
  const signals = watchSignals();
  try {
    try {
      const parsed = parseRunArgs(args, partial);
      color = parsed.color ?? color;
      outcome = await runConformance({
        ...parsed.options,
        onProgress: progressPrinter(),
        signal: signals.signal,
      });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      outcome = await reportStartupFailure(partial, error);
    }
  } catch (error) {
    // Nowhere to write a report: the reason, in one line.
    if (!(error instanceof ReportFolderError)) throw error;
    err(`connector-conformance: ${error.message}\n`);
    return 2;
  } finally {
    signals.dispose();
  }
  return printOutcome(outcome, color);
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

const COMMANDS = [
  'run',
  'merge',
  'serve-client',
  'env',
  'verify',
  'requirements',
  'defects',
  'expect',
  'diff',
  'history',
  'help',
];

/** The flags of a command that takes only booleans; undefined after printing the one-line error. */
function booleanFlags(command: string, args: string[], names: string[]): Record<string, boolean> | undefined {
  try {
    const options = Object.fromEntries(names.map((name) => [name, { type: 'boolean' as const }]));
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<
      string,
      boolean
    >;
  } catch (error) {
    err(`connector-conformance ${command}: ${flagErrorLine(error)}\n`);
    return undefined;
  }
}

function defects(args: string[]): number {
  if (booleanFlags('defects', args, []) === undefined) return 2;
  out(`${JSON.stringify(DEFECTS, null, 2)}\n`);
  return 0;
}

async function requirements(args: string[]): Promise<number> {
  const flags = booleanFlags('requirements', args, ['json']);
  if (flags === undefined) return 2;
  const catalog = await loadCatalog(DEFAULT_OPTIONS.catalogFile);
  if (flags.json) {
    out(`${JSON.stringify(catalog, null, 2)}\n`);
    return 0;
  }
  const rows = catalog.map((r) => [r.id, r.level, describeApplicability(r.appliesTo), r.title]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  for (const row of rows) {
    out(`${row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')}\n`);
  }
  return 0;
}
