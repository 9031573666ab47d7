/**
 * The simulated world a client talks to while a user adds a partner tenant: one Okta-style identity
 * provider per organisation and the vendor policy API. Started once per worker, reset per scenario.
 */
import { type RunningIdentityProvider, startIdentityProvider } from '../../mocks/idp/identity-provider.ts';
import { createPolicyHandlers } from '../../mocks/policy/handlers.ts';
import { servePolicyApi } from '../../mocks/policy/http-listener.ts';
import { createPolicyState, type PolicyState } from '../../mocks/policy/state.ts';
import { loadFixtures } from '../fixtures/load.ts';
import type { Fixtures } from '../fixtures/types.ts';

/**
 * Every client reaches the policy API the same way, in this process or another: the policy API's MSW
 * handlers (mocks/policy/handlers.ts) served by a listener on 127.0.0.1. Nothing intercepts the
 * process's own fetches: MSW's setupServer saw every request of the process (the identity providers'
 * traffic and the client's loopback redirects too, only to pass them through) and cost about a quarter
 * of an in-process run. A request outside the policy API's contract is answered 404 `NOT_IN_CONTRACT`
 * and recorded like every other.
 */
export interface SimulatedWorldOptions {
  fixturesDir: string;
  /**
   * Fixed ports (for `env up` and docker-compose): the policy API on `basePort`, the
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
  let listener: { url: string; close(): Promise<void> } | undefined;
  const close = async () => {
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
  // A fresh handler set per scenario, bound to that scenario's state; the listener asks for the
  // current set on every request.
  let current = createPolicyHandlers(policy);
  try {
    listener = await servePolicyApi(() => current, options.basePort ?? 0);
  } catch (error) {
    await close();
    throw new EnvironmentError(`the policy API did not start: ${(error as Error).message}`);
  }
  return {
    fixtures,
    identityProviders,
    policyApiUrl: listener.url,
    get policy() {
      return policy;
    },
    resetPolicy() {
      policy = createPolicyState(fixtures, idpRefs);
      for (const idp of identityProviders.values()) idp.reset();
      current = createPolicyHandlers(policy);
      return policy;
    },
    close,
  };
}
