/**
 * A small world for reference-client tests: the user's organisation (Acme), two partners, the
 * policy API as the client sees it (recording each call) and a stand-in for the identity provider.
 */

import { ResponseBodyError } from 'openid-client';
import {
  type DefectName,
  type PolicyApi,
  PolicyApiError,
  ReferenceClient,
  type SignInFactory,
  type SignInRequest,
} from '../../client/index.ts';
import type {
  DeviceResponse,
  EnrolRequest,
  PartnerEnrolRequest,
  PartnerLoginPolicy,
  PartnerLookupRequest,
  TenantInfo,
  TunnelState,
} from '../../mocks/policy/contract.ts';
import type { Platform } from '../../src/fixtures/types.ts';

export const ACME: TenantInfo = {
  id: 'tenant-acme',
  name: 'Acme Corp',
  domain: 'acme.example',
  cloud: 'zscalerthree.net',
  idp: { issuer: 'http://idp.acme.test/oauth2/default', clientId: 'ccc' },
};
export const GLOBEX: TenantInfo = {
  id: 'tenant-globex',
  name: 'Globex Corporation',
  domain: 'globex.example',
  cloud: 'zscalertwo.net',
  idp: { issuer: 'http://idp.globex.test/oauth2/default', clientId: 'ccc' },
};
export const INITECH: TenantInfo = {
  id: 'tenant-initech',
  name: 'Initech',
  domain: 'initech.example',
  cloud: 'zscaler.net',
  idp: { issuer: 'http://idp.initech.test/oauth2/default', clientId: 'ccc' },
};
export const PARTNERS = [GLOBEX, INITECH];
export const GLOBEX_USER = 'pat@globex.example';

export type Policy = PartnerLoginPolicy;
export const followGlobal = (global: boolean): Policy => ({
  global: { allowUsersToLoginToOtherTenants: global },
  appProfile: { name: 'Default', followGlobal: true, partnerDomains: [] },
});
export const ownSetting = (global: boolean, allow: boolean, domains: TenantInfo[] = []): Policy => ({
  global: { allowUsersToLoginToOtherTenants: global },
  appProfile: {
    name: 'Engineering',
    followGlobal: false,
    allowUsersToLoginToOtherTenants: allow,
    partnerDomains: domains.map((tenant) => ({ domain: tenant.domain, tenantName: tenant.name })),
  },
});

export interface WorldOptions {
  policy?: Policy;
  zpa?: boolean;
  lookupError?: PolicyApiError;
  enrolPartnerError?: PolicyApiError;
}

/** The policy API as the client sees it, recording each call; tunnels tracked to catch overlaps. */
export class StubPolicyApi implements PolicyApi {
  readonly calls: string[] = [];
  readonly lookups: PartnerLookupRequest[] = [];
  readonly partnerEnrolments: PartnerEnrolRequest[] = [];
  readonly tunnels = new Map<string, TunnelState>();
  mostTunnelsOnAtOnce = 0;
  readonly #device: DeviceResponse;
  readonly #world: WorldOptions;

  constructor(world: WorldOptions) {
    this.#world = world;
    this.#device = {
      deviceToken: 'device-token-1',
      user: { username: 'alex@acme.example', displayName: 'Alex' },
      tenant: ACME,
      services: { zpa: world.zpa ?? true, zia: true },
      partnerLogin: world.policy ?? followGlobal(true),
    };
  }

  async enrolDevice(request: EnrolRequest): Promise<DeviceResponse> {
    this.calls.push(`POST /devices ${request.platform} ${request.clientVersion}`);
    return structuredClone(this.#device);
  }

  async currentDevice(deviceToken: string): Promise<DeviceResponse> {
    this.calls.push(`GET /devices/current ${deviceToken}`);
    return structuredClone(this.#device);
  }

  async lookupPartner(request: PartnerLookupRequest) {
    this.calls.push(`POST /partner-tenants/lookup ${request.username}`);
    this.lookups.push(request);
    if (this.#world.lookupError) throw this.#world.lookupError;
    const domain = request.username.split('@')[1]?.toLowerCase();
    const tenant = PARTNERS.find((candidate) => candidate.domain === domain);
    if (tenant === undefined)
      throw new PolicyApiError(404, 42029, `the domain "${domain}" is not recognised`);
    return { tenant };
  }

  async enrolPartner(request: PartnerEnrolRequest) {
    this.calls.push(`POST /partner-tenants ${request.tenantId}`);
    this.partnerEnrolments.push(request);
    if (this.#world.enrolPartnerError) throw this.#world.enrolPartnerError;
    const tenant = PARTNERS.find((candidate) => candidate.id === request.tenantId);
    if (tenant === undefined) throw new PolicyApiError(404, 'UNKNOWN_TENANT', 'no such tenant');
    return { tenant };
  }

  async setTunnel(tenantId: string, state: TunnelState) {
    this.calls.push(`PUT ${tenantId} ${state}`);
    this.tunnels.set(tenantId, state);
    const on = [...this.tunnels.values()].filter((value) => value === 'on').length;
    this.mostTunnelsOnAtOnce = Math.max(this.mostTunnelsOnAtOnce, on);
    return { tenantId, state };
  }

  tunnelCalls(): string[] {
    return this.calls.filter((call) => call.startsWith('PUT '));
  }
}

export interface StubbedClientOptions extends WorldOptions {
  platform?: Platform;
  version?: string;
  defect?: DefectName;
}

/**
 * The reference client enrolled as alex@acme.example against this stub world, with its data in
 * `dataDir`: `start()` starts it (again, on the same data after a quit); `api`, `signIns` and `log`
 * record what it did.
 */
export function stubbedClient(
  options: StubbedClientOptions,
  dataDir: string,
): { api: StubPolicyApi; signIns: SignInRequest[]; log: string[]; start(): Promise<ReferenceClient> } {
  const api = new StubPolicyApi(options);
  const signIns: SignInRequest[] = [];
  const log: string[] = [];
  const start = () =>
    ReferenceClient.start(
      {
        platform: options.platform ?? 'windows',
        clientVersion: options.version ?? '4.7',
        policyApiUrl: 'http://policy.test',
        username: 'alex@acme.example',
        dataDir,
        defect: options.defect,
        log: (line) => log.push(line),
      },
      { policyApi: () => api, signIn: stubSignIn(signIns) },
    );
  return { api, signIns, log, start };
}

/** Stands in for the identity provider: checks the state and code the loopback callback carries. */
export function stubSignIn(requests: SignInRequest[]): SignInFactory {
  return async (request) => {
    requests.push(request);
    const state = `state-${requests.length}`;
    const url = new URL(`${request.issuer}/v1/authorize`);
    url.search = new URLSearchParams({
      client_id: request.clientId,
      redirect_uri: request.redirectUri,
      code_challenge: `challenge-${requests.length}`,
      code_challenge_method: 'S256',
      state,
      login_hint: request.loginHint,
    }).toString();
    return {
      authorizationUrl: url.href,
      async complete(callbackUrl) {
        if (callbackUrl.searchParams.get('state') !== state) throw new Error('the state does not match');
        const code = callbackUrl.searchParams.get('code');
        if (code === 'expired') throw new Error('invalid_grant (the authorization code expired)');
        if (code === 'other-client') {
          throw new ResponseBodyError('server responded with an error in the response body', {
            cause: { error: 'invalid_grant', error_description: 'grant request is invalid' },
            response: new Response(null, { status: 400 }),
          });
        }
        return `id-token-from-${request.issuer}`;
      },
    };
  };
}

/**
 * What the browser does after the identity provider: follow the redirect to the client's loopback
 * listener named in `authorizationUrl`, with its state and `params` (e.g. `{ code: 'good' }`).
 */
export async function redirectBack(
  authorizationUrl: string,
  params: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const authorization = new URL(authorizationUrl);
  const callback = new URL(authorization.searchParams.get('redirect_uri') ?? '');
  callback.searchParams.set('state', authorization.searchParams.get('state') ?? '');
  for (const [name, value] of Object.entries(params)) callback.searchParams.set(name, value);
  const response = await fetch(callback);
  return { status: response.status, text: await response.text() };
}
