/** Command-line flags of `connector-conformance run`, parsed into RunOptions. */
import { parseArgs } from 'node:util';
import parseTagExpression from '@cucumber/tag-expressions';
import type { Target } from '../catalog/types.ts';
import type { Platform } from '../fixtures/types.ts';
import { EVIDENCE_MODES, type EvidenceMode } from '../report/evidence-mode.ts';
import { DEFAULT_TARGETS, type RunOptions } from '../runner/options.ts';
import { MAX_ACTION_TIMEOUT_MS, UsageError } from '../runner/run.ts';
import { flagErrorLine } from './flags.ts';

const PLATFORMS = ['windows', 'macos', 'all'] as const;
const VERSION = /^\d+\.\d+(\.\d+){0,2}$/;

export const RUN_FLAGS = {
  client: { type: 'string' },
  platform: { type: 'string' },
  'client-version': { type: 'string' },
  defect: { type: 'string' },
  tags: { type: 'string' },
  'report-dir': { type: 'string' },
  parallel: { type: 'string' },
  fixtures: { type: 'string' },
  'user-agent': { type: 'string' },
  evidence: { type: 'string' },
  'fresh-context': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  'client-command': { type: 'string' },
  'action-timeout': { type: 'string' },
  expect: { type: 'string' },
  baseline: { type: 'string' },
  bundle: { type: 'boolean' },
  product: { type: 'string' },
  'signing-key': { type: 'string' },
  shard: { type: 'string' },
  repeat: { type: 'string' },
  'rerun-failed': { type: 'string' },
  'pass-with-no-scenarios': { type: 'boolean' },
} as const;

export interface ParsedRun {
  options: Partial<RunOptions>;
  color: boolean | undefined;
}

/** Parse `run` flags; throws UsageError naming the flag. `partial` gets what was readable so far. */
export function parseRunArgs(args: string[], partial: Partial<RunOptions> = {}): ParsedRun {
  // Read --report-dir leniently first, so that a run refused for another flag still reports there.
  const lenient = parseArgs({ args, options: RUN_FLAGS, strict: false, allowPositionals: true }).values;
  if (typeof lenient['report-dir'] === 'string') partial.reportDir = lenient['report-dir'];
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new UsageError(flagErrorLine(error));
  }
  if (values['report-dir'] !== undefined) partial.reportDir = values['report-dir'];
  if (values.tags !== undefined) partial.tags = checkTags(values.tags);
  if (values.client !== undefined) partial.client = values.client;
  if (values.fixtures !== undefined) partial.fixturesDir = values.fixtures;
  if (values.defect !== undefined) partial.defect = values.defect;
  if (values.expect !== undefined) partial.expectFile = values.expect;
  if (values.baseline !== undefined) partial.baselineFile = values.baseline;
  if (values['fresh-context']) partial.freshContext = true;
  const agent = values['user-agent'];
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
  const platform = values.platform ?? 'all';
  if (!(PLATFORMS as readonly string[]).includes(platform)) {
    throw new UsageError(`--platform: expected windows, macos or all (got "${platform}")`);
  }
  const version = values['client-version'];
  if (version !== undefined && !VERSION.test(version)) {
    throw new UsageError(`--client-version: expected a version like 4.7 or 4.6.1 (got "${version}")`);
  }
  // Without either flag the run takes its default targets (a remote:URL client: its own).
  if (values.platform !== undefined || version !== undefined) {
    partial.targets = targetsFor(platform as Platform | 'all', version);
  }
  if (values['client-command'] !== undefined) partial.clientCommand = values['client-command'];
  const timeout = values['action-timeout'];
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
      ...(values['signing-key'] !== undefined ? { signingKeyFile: values['signing-key'] } : {}),
    };
  } else if (values.product !== undefined || values['signing-key'] !== undefined) {
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
  if (values['rerun-failed'] !== undefined) partial.rerunFailed = values['rerun-failed'];
  if (values['pass-with-no-scenarios']) partial.passWithNoScenarios = true;
  return { options: partial, color: values['no-color'] ? false : undefined };
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

function parse(args: string[]) {
  return parseArgs({ args, options: RUN_FLAGS, strict: true, allowPositionals: false });
}

function targetsFor(platform: Platform | 'all', version: string | undefined): Target[] {
  const platforms: Platform[] = platform === 'all' ? ['windows', 'macos'] : [platform];
  if (version !== undefined) return platforms.map((p) => ({ platform: p, clientVersion: version }));
  return DEFAULT_TARGETS.filter((target) => platforms.includes(target.platform));
}
