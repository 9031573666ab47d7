/**
 * `--client module:` driver for the harness's own tests: the reference client in process, with its
 * sign-in page embedded in its authentication window (no authorization URL reported), so the run
 * signs in through the client's window (src/agents/client-window-user-agent.ts).
 */
import { InProcessDriver } from '../../src/drivers/in-process.ts';

export default function createDriver(): InProcessDriver {
  return new InProcessDriver({}, { authentication: 'embedded' });
}
