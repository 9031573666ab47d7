/**
 * The simulated world a client talks to while a user adds a partner tenant: one Okta-style identity
 * provider per organisation and the vendor policy API. Started once per worker, reset per scenario.
 */
import { HttpResponse, http, passthrough } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import { type RunningIdentityProvider, startIdentityProvider } from '../../mocks/idp/identity-provider.ts';
import { createPolicyHandlers } from '../../mocks/policy/handlers.ts';
import { servePolicyApi } from '../../mocks/policy/http-listener.ts';
import { createPolicyState, type PolicyState } from '../../mocks/policy/state.ts';
import { loadFixtures } from '../fixtures/load.ts';
import type { Fixtures } from '../fixtures/types.ts';

/**
 * How clients reach the policy API:
 * - `in-process`: MSW's setupServer intercepts the fetches of this process (the reference client
 *   running in process); `IN_PROCESS_POLICY_URL` never reaches the network.
 * - `http`: the same handlers served by a listener on 127.0.0.1, for clients in other processes.
 */
export type PolicyApiMode = 'in-process' | 'http';

export const IN_PROCESS_POLICY_URL = 'http://policy-api.connector.test';

export interface SimulatedWorldOptions {
  fixturesDir: string;
  policyApi: PolicyApiMode;
  /**
   * Fixed ports (for `env up` and docker-compose): the policy API on `basePort` (http mode), the
   * identity providers on the ports after it, in the fixtures' order. Free ports when absent.
   */
  basePort?: number;
}

export interface SimulatedWorld {
  readonly fixtures: Fixtures;
  /** By organisation id. */
  readonly identityProviders: ReadonlyMap<string, RunningIdentityProvider>;
  readonly policyApiUrl: string;
  /**
   * Fresh admin settings, devices, tunnels and request log for the next scenario; the identity
   * providers forget their requests and issue sound ID tokens again.
   */
  resetPolicy(): PolicyState;
  /** The state of the current scenario. */
  readonly policy: PolicyState;
  close(): Promise<void>;
}

export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

export async function startSimulatedWorld(options: SimulatedWorldOptions): Promise<SimulatedWorld> {
  const fixtures = await loadFixtures(options.fixturesDir);
  const identityProviders = new Map<string, RunningIdentityProvider>();
  let server: SetupServer | undefined;
  let listener: { url: string; close(): Promise<void> } | undefined;
  const close = async () => {
    server?.close();
    await listener?.close();
    await Promise.all([...identityProviders.values()].map((idp) => idp.close()));
  };
  try {
    const started = await Promise.all(
      fixtures.organisations.map((organisation, index) =>
        startIdentityProvider({
          organisation,
          ...(options.basePort ? { port: options.basePort + 1 + index } : {}),
        }),
      ),
    );
    for (const idp of started) identityProviders.set(idp.organisation.id, idp);
  } catch (error) {
    await close();
    throw new EnvironmentError(`the identity providers did not start: ${(error as Error).message}`);
  }
  const idpRefs = new Map(
    [...identityProviders].map(([id, idp]) => [
      id,
      { issuer: idp.issuer, clientId: idp.clientId, jwks: idp.jwks },
    ]),
  );
  let policy = createPolicyState(fixtures, idpRefs);
  let policyApiUrl = IN_PROCESS_POLICY_URL;
  // A fresh handler set per scenario, bound to that scenario's state; the HTTP listener asks for the
  // current set on every request.
  const handlers = () => [...createPolicyHandlers(policy), loopbackPassthrough, unknownHost];
  let current = handlers();
  if (options.policyApi === 'in-process') {
    server = setupServer(...current);
    server.listen({ onUnhandledFrame: 'error' });
  } else {
    try {
      listener = await servePolicyApi(() => current, options.basePort ?? 0);
      policyApiUrl = listener.url;
    } catch (error) {
      await close();
      throw new EnvironmentError(`the policy API did not start: ${(error as Error).message}`);
    }
  }
  return {
    fixtures,
    identityProviders,
    get policyApiUrl() {
      return policyApiUrl;
    },
    get policy() {
      return policy;
    },
    resetPolicy() {
      policy = createPolicyState(fixtures, idpRefs);
      for (const idp of identityProviders.values()) idp.reset();
      current = handlers();
      server?.resetHandlers(...current);
      return policy;
    },
    close,
  };
}

/** The identity providers and the client's loopback redirect listener are real servers. */
const loopbackPassthrough = http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough());

/** Anything else is a request the simulated world does not know: refuse it loudly. */
const unknownHost = http.all('*', ({ request }) =>
  HttpResponse.json(
    {
      code: 'NOT_IN_SIMULATED_WORLD',
      message: `${request.method} ${request.url} is outside the simulated world`,
    },
    { status: 502 },
  ),
);
