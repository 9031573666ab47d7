/** The simulated world of this worker: started by the first scenario, closed after the run. */
import { type SimulatedWorld, startSimulatedWorld } from '../src/environment/simulated-world.ts';

let started: Promise<SimulatedWorld> | undefined;
let current: SimulatedWorld | undefined;

export async function ensureSimulatedWorld(fixturesDir: string): Promise<SimulatedWorld> {
  started ??= startSimulatedWorld({ fixturesDir, policyApi: 'in-process' });
  current = await started;
  return current;
}

export function simulatedWorld(): SimulatedWorld {
  if (!current) throw new Error('the simulated world is not running');
  return current;
}

export async function stopSimulatedWorld(): Promise<void> {
  const world = started;
  started = undefined;
  current = undefined;
  await (await world?.catch(() => undefined))?.close();
}
