/** The run's options and their defaults, in one place. */
import path from 'node:path';
import type { BundleOptions } from '../bundle/write.ts';
import type { Target } from '../catalog/types.ts';
import { needsBrowser, parseClientSpec } from '../drivers/index.ts';
import type { Platform } from '../fixtures/types.ts';
import { PACKAGE_ROOT } from '../package-layout.ts';
import type { EvidenceMode } from '../report/evidence-mode.ts';

export interface RunOptions {
  /**
   * Client driver: "reference" (in process), "ui" (its web UI through Chromium), "ui:URL",
   * "remote:URL" (a ccdp/1 client running there) or "remote" (started from `clientCommand`).
   */
  client: string;
  /** The shell command that starts a ccdp/1 client, with `{port}` (and optionally `{platform}`, `{version}`). */
  clientCommand?: string;
  /** How long a remote client may take to answer one request, in ms. */
  actionTimeoutMs?: number;
  /** Who signs in on the identity provider's page; by default the browser for UI clients, else HTTP. */
  userAgent?: 'http' | 'browser';
  /** Screenshots and traces kept: by default all screenshots for UI clients, else failures only. */
  evidence?: EvidenceMode;
  /** Client builds to certify, one suite run each. */
  targets: Target[];
  /** Reference client only: the named defect to switch on. */
  defect?: string;
  /** Cucumber tag expression selecting scenarios, on top of each target's own selection. */
  tags?: string;
  /**
   * Only these feature files, or the scenarios and Examples rows at these lines, as cucumber-js takes
   * them: "features/x.feature", "features/x.feature:LINE", "features/x.feature:LINE:LINE" (selection.ts).
   */
  paths?: string[];
  /** Only the scenarios whose name matches one of these regular expressions. */
  names?: string[];
  /** Where reports go; relative paths are taken from the current directory. */
  reportDir: string;
  /** Worker processes the targets are shared out to (0: every target in this process). */
  parallel: number;
  /** Only this slice of the run's scenarios (selection.ts). */
  shard?: { index: number; count: number };
  /** Run every selected scenario this many times; one whose verdicts differ is flaky. */
  repeat?: number;
  /** An earlier conformance.json: run only the scenarios that did not pass in it. */
  rerunFailed?: string;
  /** Accept a run whose selection matched no scenario (exit 0 instead of 2). */
  passWithNoScenarios?: boolean;
  /** A new browser context per scenario instead of the worker's one, reset between scenarios. */
  freshContext?: boolean;
  fixturesDir: string;
  catalogFile: string;
  /** Expect file (YAML) listing cells known not to conform (`--expect`). */
  expectFile?: string;
  /** An earlier conformance.json to compare with; its regressions fail the gate (`--baseline`). */
  baselineFile?: string;
  /** Write a signed certification bundle of the reports (certification-bundle.tar). */
  bundle?: BundleOptions;
  /** Called as the run progresses, for the command line's progress output. */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Stops the run when aborted (the command line aborts it on SIGINT, SIGTERM and SIGHUP, with the
   * signal's name as the reason): the report is still written, marked interrupted.
   */
  signal?: AbortSignal;
}

export type ProgressEvent =
  | { type: 'target-started'; target: Target }
  | { type: 'scenario-finished'; target: Target; status: string }
  | { type: 'target-finished'; target: Target; scenarios: number; durationMs: number };

/** Windows 4.5, 4.6 and 4.7 are where documented behaviour changes; macOS has one behaviour. */
export const DEFAULT_TARGETS: readonly Target[] = [
  { platform: 'windows', clientVersion: '4.7' },
  { platform: 'windows', clientVersion: '4.6' },
  { platform: 'windows', clientVersion: '4.5' },
  { platform: 'macos', clientVersion: '4.7' },
];

/**
 * The targets of `--platform P [--client-version V]` (a config file's `platform` and `clientVersion`):
 * without a version, the default set on P.
 */
export function targetsFor(platform: Platform | 'all', version: string | undefined): Target[] {
  const platforms: Platform[] = platform === 'all' ? ['windows', 'macos'] : [platform];
  if (version !== undefined) return platforms.map((p) => ({ platform: p, clientVersion: version }));
  return DEFAULT_TARGETS.filter((target) => platforms.includes(target.platform));
}

export const DEFAULT_OPTIONS: Omit<RunOptions, 'targets'> & { targets: readonly Target[] } = {
  client: 'reference',
  targets: DEFAULT_TARGETS,
  reportDir: 'reports',
  parallel: 0,
  fixturesDir: path.join(PACKAGE_ROOT, 'fixtures'),
  catalogFile: path.join(PACKAGE_ROOT, 'features', 'requirements.yaml'),
};

/** The user agent and evidence a run uses when not told: the browser ones for a UI client. */
export function resolvedAgentAndEvidence(options: Pick<RunOptions, 'client' | 'userAgent' | 'evidence'>): {
  userAgent: 'http' | 'browser';
  evidence: EvidenceMode;
} {
  const ui = needsBrowser(parseClientSpec(options.client));
  return {
    userAgent: options.userAgent ?? (ui ? 'browser' : 'http'),
    evidence: options.evidence ?? (ui ? 'all' : 'failures'),
  };
}

export const SUITE_NAME = 'Adding a Partner Tenant to Zscaler Client Connector';
