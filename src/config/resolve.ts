/**
 * A checked config as run options: the chosen profile laid over the top-level settings, paths taken
 * from the config file's folder (as Playwright does), keys renamed to RunOptions'.
 */
import path from 'node:path';
import { type RunOptions, targetsFor } from '../runner/options.ts';
import type { ConformanceConfig, RunSettings } from './define.ts';
import { ConfigError } from './error.ts';

/** The settings of `profile` (or the top-level ones) as RunOptions; `dir` is the file's folder. */
export function resolveSettings(
  config: ConformanceConfig,
  profile: string | undefined,
  shown: string,
  dir: string,
): Partial<RunOptions> {
  const { profiles = {}, $schema: _, ...top } = config;
  if (profile === undefined) return runOptionsOf(top, dir);
  const chosen = Object.hasOwn(profiles, profile) ? profiles[profile] : undefined;
  if (chosen === undefined) {
    const names = Object.keys(profiles);
    const known = names.length === 0 ? 'the file has no profiles' : `its profiles: ${names.join(', ')}`;
    throw new ConfigError(`${shown}: --profile ${profile}: no such profile (${known})`);
  }
  return runOptionsOf(overlay(top, chosen), dir);
}

/**
 * The profile's settings over the top-level ones, key by key. The targets are one setting: a profile
 * naming `targets` drops the top level's platform and clientVersion, and one naming either drops its
 * targets.
 */
function overlay(top: RunSettings, profile: RunSettings): RunSettings {
  const base = { ...top };
  if (profile.targets !== undefined) {
    delete base.platform;
    delete base.clientVersion;
  }
  if (profile.platform !== undefined || profile.clientVersion !== undefined) delete base.targets;
  return { ...base, ...profile };
}

function runOptionsOf(settings: RunSettings, dir: string): Partial<RunOptions> {
  const file = (value: string | undefined) => (value === undefined ? undefined : path.resolve(dir, value));
  const { bundle } = settings;
  const options: Partial<RunOptions> = {
    client: moduleFromFile(settings.client, dir),
    clientCommand: settings.clientCommand,
    actionTimeoutMs: settings.actionTimeout,
    userAgent: settings.userAgent,
    evidence: settings.evidence,
    targets: targetsOf(settings),
    defect: settings.defect,
    tags: settings.tags,
    reportDir: file(settings.reportDir),
    parallel: settings.parallel,
    repeat: settings.repeat,
    passWithNoScenarios: settings.passWithNoScenarios,
    freshContext: settings.freshContext,
    fixturesDir: file(settings.fixtures),
    expectFile: file(settings.expect),
    baselineFile: file(settings.baseline),
    bundle:
      bundle === true
        ? {}
        : bundle === false || bundle === undefined
          ? undefined
          : { productFile: file(bundle.product), signingKeyFile: file(bundle.signingKey) },
  };
  return withoutUnset(options);
}

/** A `module:` driver's path, like the file's other paths, is taken from the file's folder. */
function moduleFromFile(client: string | undefined, dir: string): string | undefined {
  if (client === undefined || !client.startsWith('module:')) return client;
  return `module:${path.resolve(dir, client.slice('module:'.length))}`;
}

function targetsOf(settings: RunSettings): RunOptions['targets'] | undefined {
  if (settings.targets !== undefined) {
    return settings.targets.map(({ platform, clientVersion }) => ({ platform, clientVersion }));
  }
  if (settings.platform === undefined && settings.clientVersion === undefined) return undefined;
  return targetsFor(settings.platform ?? 'all', settings.clientVersion);
}

/** Only the keys the file set, so that an unset one leaves the flag's or the default in place. */
function withoutUnset<T extends object>(options: T): T {
  const entries = Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [key, isPlainObject(value) ? withoutUnset(value) : value]);
  return Object.fromEntries(entries) as T;
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
