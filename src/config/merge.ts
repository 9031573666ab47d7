/** The run options of a config file and of the command line's flags, as one. */
import type { RunOptions } from '../runner/options.ts';

/**
 * Flags override the file key by key: a flag given replaces the file's value (targets from
 * --platform/--client-version replace the file's targets), a flag not given leaves it. The bundle's
 * files merge one level down, so `--bundle --signing-key K` keeps the file's product.
 */
export function mergeRunSettings(
  fromConfig: Partial<RunOptions> | undefined,
  fromFlags: Partial<RunOptions>,
): Partial<RunOptions> {
  const given = Object.fromEntries(Object.entries(fromFlags).filter(([, value]) => value !== undefined));
  const merged: Partial<RunOptions> = { ...fromConfig, ...given };
  if (fromConfig?.bundle !== undefined && fromFlags.bundle !== undefined) {
    merged.bundle = { ...fromConfig.bundle, ...fromFlags.bundle };
  }
  return merged;
}
