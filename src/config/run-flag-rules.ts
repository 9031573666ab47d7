/**
 * Rules of the `run` flags that the config file shares, taken from the flags' own parser so that a
 * setting means in the file what its flag means on the command line.
 */
import type { Target } from '../catalog/types.ts';
import { parseRunArgs } from '../cli/args.ts';
import type { Platform } from '../fixtures/types.ts';

/** The targets of `run --platform P [--client-version V]`: without a version, the default set on P. */
export function targetsOfPlatform(platform: Platform | 'all', clientVersion: string | undefined): Target[] {
  const version = clientVersion === undefined ? [] : ['--client-version', clientVersion];
  return parseRunArgs(['--platform', platform, ...version]).options.targets ?? [];
}
