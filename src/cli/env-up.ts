/**
 * `connector-conformance env up`: the simulated world alone — one identity provider per fixture
 * organisation and the policy API over HTTP, all on 127.0.0.1 — for a person or an external client
 * to use, until SIGTERM or SIGINT. It prints its URLs: a line per service, then one JSON line
 * (`{"policyApi": ..., "identityProviders": {...}}`) for scripts.
 */
import path from 'node:path';
import { startSimulatedWorld } from '../environment/simulated-world.ts';
import { DEFAULT_OPTIONS } from '../runner/options.ts';
import { InputError } from './flags.ts';
import { err, out } from './output.ts';
import type { EnvUpFlags } from './program.ts';

export interface EnvUpArgs {
  fixturesDir: string;
  /** The policy API's port; the identity providers take the ports after it. 0: free ports. */
  port: number;
}

/** The flags, checked; throws InputError naming the flag. */
export function envUpArgs(flags: EnvUpFlags): EnvUpArgs {
  const port = flags.port ?? '0';
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65000) {
    throw new InputError(`--port: expected a port from 0 (free ports) to 65000 (got "${port}")`);
  }
  return { fixturesDir: path.resolve(flags.fixtures ?? DEFAULT_OPTIONS.fixturesDir), port: Number(port) };
}

export async function envUpCommand(flags: EnvUpFlags): Promise<number> {
  const parsed = envUpArgs(flags);
  let world: Awaited<ReturnType<typeof startSimulatedWorld>>;
  try {
    world = await startSimulatedWorld({
      fixturesDir: parsed.fixturesDir,
      ...(parsed.port ? { basePort: parsed.port } : {}),
    });
  } catch (error) {
    err(`connector-conformance: ${(error as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  const identityProviders = Object.fromEntries(
    [...world.identityProviders].map(([organisation, idp]) => [organisation, idp.issuer]),
  );
  const lines = [
    `policy API          ${world.policyApiUrl}/zcc/api/v1`,
    ...Object.entries(identityProviders).map(
      ([organisation, issuer]) => `identity provider   ${organisation.padEnd(10)} ${issuer}`,
    ),
    JSON.stringify({ policyApi: world.policyApiUrl, identityProviders }),
  ];
  out(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await world.close();
  return 0;
}
