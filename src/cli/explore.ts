/**
 * `connector-conformance explore`: random sequences of a person's actions against a client, checked
 * after every action; a sequence that breaks a requirement is shrunk and written as a Gherkin
 * reproducer. Progress on stderr; the result in REPORT_DIR/explore.json and explore.html, the
 * reproducer in REPORT_DIR/found/. Exit 0 nothing broken, 1 a violation found, 2 bad input or a
 * failure of the harness.
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { DEFECTS } from '../../client/core/defects.ts';
import { parseClientSpec } from '../drivers/index.ts';
import { EXPLORE_DEFAULTS, type ExploreOptions, type ExploreResult, explore } from '../explore/explore.ts';
import { writeExploreReport } from '../explore/report.ts';
import { ExploreHarnessError } from '../explore/session.ts';
import { openReportFolder, type ReportFolder, ReportFolderError } from '../report/folder.ts';
import { InputError } from './flags.ts';
import { err, out } from './output.ts';

/** commander's values, strings until exploreArgs parses them. */
export interface ExploreFlags {
  client?: string;
  clientCommand?: string;
  platform?: string;
  clientVersion?: string;
  defect?: string;
  runs?: string;
  maxSteps?: string;
  seed?: string;
  timeBudget?: string;
  reportDir?: string;
  fixtures?: string;
}

const VERSION = /^\d+\.\d+(\.\d+){0,2}$/;
export const DEFAULT_EXPLORE_DIR = 'explore-report';

/** The flags, checked; throws InputError naming the one that is wrong. */
export function exploreArgs(flags: ExploreFlags): ExploreOptions {
  const { platform = 'windows', clientVersion = '4.7' } = flags;
  if (platform !== 'windows' && platform !== 'macos') {
    throw new InputError(`--platform: expected windows or macos (got "${platform}")`);
  }
  if (!VERSION.test(clientVersion)) {
    throw new InputError(`--client-version: expected a version like 4.7 (got "${clientVersion}")`);
  }
  const client = flags.clientCommand === undefined ? (flags.client ?? 'reference') : 'remote';
  try {
    parseClientSpec(client);
  } catch (error) {
    throw new InputError(`--client: ${(error as Error).message}`);
  }
  if (flags.clientCommand !== undefined && !flags.clientCommand.includes('{port}')) {
    throw new InputError('--client-command: the command must contain {port}, where the client is to listen');
  }
  if (client === 'remote' && flags.clientCommand === undefined) {
    throw new InputError(
      '--client remote: give the command that starts the client (--client-command "CMD {port}")',
    );
  }
  if (flags.defect !== undefined && !DEFECTS.some((defect) => defect.name === flags.defect)) {
    throw new InputError(`--defect: unknown defect "${flags.defect}"; see \`connector-conformance defects\``);
  }
  return {
    client,
    target: { platform, clientVersion },
    runs: count(flags.runs, '--runs', EXPLORE_DEFAULTS.runs, 1, 100_000),
    maxSteps: count(flags.maxSteps, '--max-steps', EXPLORE_DEFAULTS.maxSteps, 1, 200),
    seed: count(flags.seed, '--seed', randomInt(2 ** 31 - 1), 0, 2 ** 31 - 1),
    timeBudgetSeconds: count(
      flags.timeBudget,
      '--time-budget',
      EXPLORE_DEFAULTS.timeBudgetSeconds,
      1,
      24 * 3600,
    ),
    reportDir: path.resolve(flags.reportDir ?? DEFAULT_EXPLORE_DIR),
    ...(flags.fixtures === undefined ? {} : { fixturesDir: path.resolve(flags.fixtures) }),
    ...(flags.defect === undefined ? {} : { defect: flags.defect }),
    ...(flags.clientCommand === undefined ? {} : { clientCommand: flags.clientCommand }),
  };
}

function count(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new InputError(`${flag}: expected a whole number from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

export async function exploreCommand(flags: ExploreFlags): Promise<number> {
  const options = exploreArgs(flags);
  const { target } = options;
  err(
    `explore: ${options.client}${options.defect ? ` --defect ${options.defect}` : ''} on ${target.platform} ${target.clientVersion}, ` +
      `seed ${options.seed}, up to ${options.runs} sequences of up to ${options.maxSteps} actions in ${options.timeBudgetSeconds} s\n`,
  );
  let folder: ReportFolder;
  try {
    folder = await openReportFolder(options.reportDir);
  } catch (error) {
    if (!(error instanceof ReportFolderError)) throw error;
    throw new InputError(error.message);
  }
  let shown = 0;
  let result: ExploreResult;
  try {
    result = await explore({
      ...options,
      onProgress: ({ sequences, steps, seconds }) => {
        if (seconds - shown < 2) return;
        shown = seconds;
        const left = Math.max(0, options.timeBudgetSeconds - seconds);
        err(`explore: ${sequences} sequences, ${steps} actions, ${left.toFixed(0)} s left\n`);
      },
    });
  } catch (error) {
    await folder.discard();
    if (!(error instanceof ExploreHarnessError)) throw error;
    err(`connector-conformance explore: ${error.message}\n`);
    return 2;
  }
  const written = await writeExploreReport(folder, result, options);
  const rate = result.sequences / Math.max(result.seconds, 0.001);
  out(
    `${result.sequences} sequences, ${result.steps} actions in ${result.seconds.toFixed(1)} s (${rate.toFixed(1)} sequences/s), seed ${result.seed}\n`,
  );
  const { finding } = result;
  if (finding === undefined) {
    out(`no violation: every invariant held after every action\nreport: ${written.page}\n`);
    return 0;
  }
  out(
    `violation of ${finding.requirements.join(', ') || finding.status} after ${finding.commands.length} actions: ${finding.commands.join(', ')}\n` +
      `  ${finding.message}\n` +
      `reproducer: ${written.reproducer}\n` +
      `replay: connector-conformance run ${written.reproducer} --client ${options.client} --platform ${target.platform} --client-version ${target.clientVersion}${options.defect ? ` --defect ${options.defect}` : ''}\n` +
      `again: connector-conformance explore --seed ${result.seed} (fast-check path ${finding.path})\n` +
      `report: ${written.page}\n`,
  );
  return 1;
}
