/** Picks the driver a run uses by name. */
import { InProcessDriver } from './in-process.ts';
import type { ClientDriver } from './types.ts';

export const DRIVER_NAMES = ['reference'] as const;

export function createDriver(name: string): ClientDriver {
  if (name === 'reference') return new InProcessDriver();
  throw new Error(`unknown client driver "${name}"; known drivers: ${DRIVER_NAMES.join(', ')}`);
}
