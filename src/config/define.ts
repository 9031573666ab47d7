/**
 * The shape of `connector-conformance.config.{ts,mjs,js,json,yaml,yml}` and `defineConfig`, which
 * types it. The keys mirror the `run` flags in camelCase (docs/config.md); the file is checked against
 * config.schema.json when it is loaded, so these types and that schema describe the same thing.
 */
import type { Platform } from '../fixtures/types.ts';
import type { EvidenceMode } from '../report/evidence-mode.ts';

/** Settings of a run, as a config file or one of its profiles gives them. Paths are relative to the file. */
export interface RunSettings {
  /** `reference`, `ui`, `ui:URL`, `remote:URL`, `remote` (with `clientCommand`), `image:NAME[:TAG]` or `module:PATH` (`--client`). */
  client?: string;
  /** The shell command that starts a ccdp/1 client per worker, with `{port}` (`--client-command`). */
  clientCommand?: string;
  /** How long a remote client may take to answer one request, in milliseconds (`--action-timeout`). */
  actionTimeout?: number;
  /** Who signs in on the identity provider's page (`--user-agent`). */
  userAgent?: 'http' | 'browser';
  /** Screenshots and traces kept (`--evidence`). */
  evidence?: EvidenceMode;
  /** `windows`, `macos` or `all` (`--platform`); not with `targets`. */
  platform?: Platform | 'all';
  /** One client version instead of the default set, e.g. `'4.7'` (`--client-version`); not with `targets`. */
  clientVersion?: string;
  /** The client builds to certify, one suite run each; replaces `platform` and `clientVersion`. */
  targets?: { platform: Platform; clientVersion: string }[];
  /** Reference client only: the named defect to switch on (`--defect`). */
  defect?: string;
  /** Cucumber tag expression selecting scenarios (`--tags`). */
  tags?: string;
  /** Where reports go (`--report-dir`). */
  reportDir?: string;
  /** Targets run at a time, 0 to 16 (`--parallel`): this process and the rest in worker processes; 0 and 1 run them one after the other here. */
  parallel?: number;
  /** A new browser context per scenario (`--fresh-context`). */
  freshContext?: boolean;
  /** Another fixtures folder (`--fixtures`). */
  fixtures?: string;
  /** Cells known not to conform (`--expect`). */
  expect?: string;
  /** An earlier conformance.json to compare with (`--baseline`). */
  baseline?: string;
  /** Also write a signed certification bundle (`--bundle`, `--product`, `--signing-key`); false: none. */
  bundle?: boolean | { product?: string; signingKey?: string };
  /** Run every scenario this many times, 1 to 999 (`--repeat`). */
  repeat?: number;
  /** Accept a run whose selection matched no scenario (`--pass-with-no-scenarios`). */
  passWithNoScenarios?: boolean;
}

export interface ConformanceConfig extends RunSettings {
  /** Named sets of settings; `--profile NAME` lays one over the settings above, key by key. */
  profiles?: Record<string, RunSettings>;
  /** For editors: the JSON Schema of this file. */
  $schema?: string;
}

/** A config file may export a function giving the config, e.g. to read the environment. */
export type ConfigFunction = () => ConformanceConfig | Promise<ConformanceConfig>;

/** Types a config file's default export; returns it unchanged. */
export function defineConfig(config: ConformanceConfig): ConformanceConfig;
export function defineConfig(config: ConfigFunction): ConfigFunction;
export function defineConfig(config: ConformanceConfig | ConfigFunction): ConformanceConfig | ConfigFunction {
  return config;
}
