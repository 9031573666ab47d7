/** Command-line flags of `connector-conformance run`, parsed into RunOptions. */
import parseTagExpression from '@cucumber/tag-expressions';
import { Command, CommanderError } from 'commander';
import type { Platform } from '../fixtures/types.ts';
import { EVIDENCE_MODES, type EvidenceMode } from '../report/evidence-mode.ts';
import { type RunOptions, targetsFor } from '../runner/options.ts';
import { MAX_ACTION_TIMEOUT_MS, UsageError } from '../runner/run.ts';
import { flagErrorLine } from './flags.ts';
import { declareRun, type RunFlags } from './program.ts';

const PLATFORMS = ['windows', 'macos', 'all'] as const;
const VERSION = /^\d+\.\d+(\.\d+){0,2}$/;

export interface ParsedRun {
  options: Partial<RunOptions>;
}

/**
 * `run`'s command line alone, parsed by its declaration (program.ts), as `connector-conformance run`
 * would; throws UsageError naming the flag.
 */
export function parseRunArgs(args: string[]): ParsedRun {
  const command = declareRun(new Command('run'))
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  try {
    command.parse(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    throw new UsageError(flagErrorLine(error));
  }
  return { options: runOptions(command.opts<RunFlags>(), command.args) };
}

/**
 * `run`'s flags and feature paths as RunOptions; throws UsageError naming the flag. `partial` gets
 * what was readable so far, so that a run refused for a flag still reports in its --report-dir.
 * `platform` is what --client-version alone runs on (a config file's platform; by default both).
 */
export function runOptions(
  values: RunFlags,
  features: string[],
  partial: Partial<RunOptions> = {},
  platform: Platform | 'all' = 'all',
): Partial<RunOptions> {
  if (values.reportDir !== undefined) partial.reportDir = values.reportDir;
  if (values.tags !== undefined) partial.tags = checkTags(values.tags);
  if (values.client !== undefined) partial.client = values.client;
  if (values.fixtures !== undefined) partial.fixturesDir = values.fixtures;
  if (values.defect !== undefined) partial.defect = values.defect;
  if (values.expect !== undefined) partial.expectFile = values.expect;
  if (values.baseline !== undefined) partial.baselineFile = values.baseline;
  if (values.freshContext) partial.freshContext = true;
  const agent = values.userAgent;
  if (agent !== undefined) {
    if (agent !== 'http' && agent !== 'browser') {
      throw new UsageError(`--user-agent: expected http or browser (got "${agent}")`);
    }
    partial.userAgent = agent;
  }
  const evidence = values.evidence;
  if (evidence !== undefined) {
    if (!(EVIDENCE_MODES as readonly string[]).includes(evidence)) {
      throw new UsageError(`--evidence: expected ${EVIDENCE_MODES.join(', ')} (got "${evidence}")`);
    }
    partial.evidence = evidence as EvidenceMode;
  }
  const chosen = values.platform ?? platform;
  if (!(PLATFORMS as readonly string[]).includes(chosen)) {
    throw new UsageError(`--platform: expected windows, macos or all (got "${chosen}")`);
  }
  const version = values.clientVersion;
  if (version !== undefined && !VERSION.test(version)) {
    throw new UsageError(`--client-version: expected a version like 4.7 or 4.6.1 (got "${version}")`);
  }
  // Without either flag the run takes its default targets (a remote:URL client: its own).
  if (values.platform !== undefined || version !== undefined) {
    partial.targets = targetsFor(chosen as Platform | 'all', version);
  }
  if (values.clientCommand !== undefined) partial.clientCommand = values.clientCommand;
  const timeout = values.actionTimeout;
  if (timeout !== undefined) {
    if (!/^\d{1,6}$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > MAX_ACTION_TIMEOUT_MS) {
      throw new UsageError(
        `--action-timeout: expected milliseconds from 1 to ${MAX_ACTION_TIMEOUT_MS} (got "${timeout}")`,
      );
    }
    partial.actionTimeoutMs = Number(timeout);
  }
  if (values.bundle) {
    partial.bundle = {
      ...(values.product !== undefined ? { productFile: values.product } : {}),
      ...(values.signingKey !== undefined ? { signingKeyFile: values.signingKey } : {}),
    };
  } else if (values.product !== undefined || values.signingKey !== undefined) {
    throw new UsageError(`--${values.product !== undefined ? 'product' : 'signing-key'}: goes with --bundle`);
  }
  if (values.parallel !== undefined) {
    const parallel = Number(values.parallel);
    if (!/^\d+$/.test(values.parallel) || parallel > 16) {
      throw new UsageError(
        `--parallel: expected a number of workers from 0 to 16 (got "${values.parallel}")`,
      );
    }
    partial.parallel = parallel;
  }
  if (values.shard !== undefined) partial.shard = parseShard(values.shard);
  if (values.repeat !== undefined) {
    if (!/^\d{1,3}$/.test(values.repeat) || Number(values.repeat) < 1) {
      throw new UsageError(`--repeat: expected a number of runs from 1 to 999 (got "${values.repeat}")`);
    }
    partial.repeat = Number(values.repeat);
  }
  if (values.rerunFailed !== undefined) partial.rerunFailed = values.rerunFailed;
  if (values.passWithNoScenarios) partial.passWithNoScenarios = true;
  if (features.length > 0) partial.paths = features;
  if (values.name !== undefined) partial.names = values.name;
  return partial;
}

/** Cucumber's own parser, so a typo is refused here in one line rather than by each target's run. */
function checkTags(expression: string): string {
  try {
    parseTagExpression(expression);
  } catch (error) {
    throw new UsageError(`--tags: ${(error as Error).message}`);
  }
  return expression;
}

function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || index < 1 || index > count) {
    throw new UsageError(`--shard: expected i/n with 1 ≤ i ≤ n, e.g. 2/3 (got "${text}")`);
  }
  return { index, count };
}
