/** The simulated world of this worker: started by the first scenario, closed after the run. */
import {
  type PolicyApiMode,
  type SimulatedWorld,
  startSimulatedWorld,
} from '../src/environment/simulated-world.ts';

let started: Promise<SimulatedWorld> | undefined;
let current: SimulatedWorld | undefined;

/** `policyApi`: `http` when the client runs in another process (see isRemote). */
export async function ensureSimulatedWorld(
  fixturesDir: string,
  policyApi: PolicyApiMode = 'in-process',
): Promise<SimulatedWorld> {
  started ??= startSimulatedWorld({ fixturesDir, policyApi });
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
