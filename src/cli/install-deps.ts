/** `connector-conformance install-deps`: the machine set up for the harness (src/setup/install-deps.ts). */
import { installDeps, SetupError } from '../setup/install-deps.ts';
import { err } from './output.ts';

export async function installDepsCommand(flags: { check?: boolean; docker: boolean }): Promise<number> {
  try {
    return await installDeps({ check: flags.check === true, docker: flags.docker });
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    err(`connector-conformance install-deps: ${error.message}\n`);
    return 2;
  }
}
