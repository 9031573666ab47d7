/**
 * `loadConfig`: the config file (given by --config, or found in the current directory) read,
 * checked, its profile chosen, as run options. Every problem is a one-line ConfigError.
 */
import path from 'node:path';
import type { RunOptions } from '../runner/options.ts';
import { ConfigError } from './error.ts';
import { CONFIG_FILE_NAMES, findConfigFile, readConfigFile } from './read.ts';
import { resolveSettings } from './resolve.ts';
import { validateConfig } from './validate.ts';

export interface LoadConfigOptions {
  /** `--config FILE`, relative to `cwd`; without it the file is looked for in `cwd`. */
  file?: string;
  /** `--profile NAME`. */
  profile?: string;
  cwd: string;
}

/** The file's run options (paths absolute); undefined when no file is given and none is found. */
export async function loadConfig({
  file,
  profile,
  cwd,
}: LoadConfigOptions): Promise<Partial<RunOptions> | undefined> {
  const found = file === undefined ? await findConfigFile(cwd) : path.resolve(cwd, file);
  if (found === undefined) {
    if (profile === undefined) return undefined;
    throw new ConfigError(
      `--profile ${profile}: no config file here (${CONFIG_FILE_NAMES.join(', ')}); give one with --config FILE`,
    );
  }
  const shown = shownPath(found, cwd);
  const config = validateConfig(await readConfigFile(found, shown), shown);
  return resolveSettings(config, profile, shown, path.dirname(found));
}

/** The file as the user would name it: relative to the current directory when it is under it. */
function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
