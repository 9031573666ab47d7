/**
 * The policy API as msw request handlers. Patterns start with `*` so the same handlers answer
 * in process (`setupServer`) and behind the loopback listener (`servePolicyApi`). Every request,
 * answered or not, is recorded in the state with its response.
 */
import { MIMEType } from 'node:util';
import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { type HttpHandler, HttpResponse, http } from 'msw';
import type { Organisation } from '../../src/fixtures/types.ts';
import {
  API_BASE,
  type ApiError,
  type DeviceResponse,
  type EnrolRequest,
  ErrorCodes,
  MAX_BODY_BYTES,
  type PartnerEnrolRequest,
  type PartnerEnrolResponse,
  type PartnerLookupRequest,
  type PartnerLookupResponse,
  type TenantInfo,
  type TunnelRequest,
  type TunnelResponse,
  type TunnelState,
} from './contract.ts';
import {
  appProfileOf,
  type Device,
  enrolDevice,
  findUserInState,
  type IdentityProviderConfig,
  isWindowsAtLeast,
  organisationByDomain,
  organisationById,
  organisationByTenantId,
  type PolicyState,
  type RecordedRequest,
  tenantId,
} from './state.ts';

const BASE = `*${API_BASE}`;

/**
 * How many requests the state keeps, newest last. A scenario makes a few dozen and the harness resets
 * the state per scenario; a long-lived server (`env up`) keeps the latest ones, so its memory stays flat.
 */
export const REQUEST_LOG_LIMIT = 1000;

export function createPolicyHandlers(state: PolicyState): HttpHandler[] {
  return [
    http.post(`${BASE}/devices`, route(state, enrol)),
    http.get(`${BASE}/devices/current`, route(state, authenticated(currentDevice))),
    http.post(`${BASE}/partner-tenants/lookup`, route(state, authenticated(lookupPartner))),
    http.post(`${BASE}/partner-tenants`, route(state, authenticated(enrolPartner))),
    http.put(`${BASE}/zpa/tunnels/:tenantId`, route(state, authenticated(setTunnel))),
    http.get(`${BASE}/zpa/tunnels`, route(state, authenticated(listTunnels))),
    http.all('*/zcc/*', route(state, notInContract, { unhandled: true })),
  ];
}

// ---- plumbing: one request as the routes see it, recording, auth, errors, bodies ----

interface Call {
  state: PolicyState;
  request: Request;
  url: URL;
  params: Record<string, string>;
  /** The raw request body ('' when none). */
  text: string;
}

type Route = (call: Call) => Response | Promise<Response>;
type DeviceRoute = (call: Call, device: Device) => Response | Promise<Response>;

interface ResolverInfo {
  request: Request;
  params: Record<string, string | readonly string[] | undefined>;
}

function route(state: PolicyState, handle: Route, options: { unhandled?: boolean } = {}) {
  return async ({ request, params }: ResolverInfo): Promise<Response> => {
    const body = await request.text();
    const bytes = Buffer.byteLength(body);
    const tooLarge = bytes > MAX_BODY_BYTES;
    // An oversized body is recorded by its size only, so the log stays small too.
    const text = tooLarge ? '' : body;
    const call: Call = { state, request, url: new URL(request.url), params: flatParams(params), text };
    let response: Response;
    try {
      response = tooLarge
        ? fail(
            413,
            ErrorCodes.payloadTooLarge,
            `the request body is larger than ${MAX_BODY_BYTES} bytes (found ${bytes} or more)`,
          )
        : await handle(call);
    } catch (error) {
      response = fail(500, ErrorCodes.internalError, `the policy mock failed: ${(error as Error).message}`);
    }
    const entry = await recordOf(call, response);
    keepLatest(state.requests, entry);
    if (options.unhandled) keepLatest(state.unhandled, entry);
    return response;
  };
}

function keepLatest(log: RecordedRequest[], entry: RecordedRequest): void {
  log.push(entry);
  if (log.length > REQUEST_LOG_LIMIT) log.splice(0, log.length - REQUEST_LOG_LIMIT);
}

function flatParams(params: ResolverInfo['params']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) flat[key] = typeof value === 'string' ? value : value.join('/');
  }
  return flat;
}

async function recordOf(call: Call, response: Response): Promise<RecordedRequest> {
  return {
    method: call.request.method,
    path: call.url.pathname,
    query: Object.fromEntries(call.url.searchParams),
    body: parseLoosely(call.text),
    status: response.status,
    responseBody: parseLoosely(await response.clone().text()),
  };
}

function parseLoosely(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function authenticated(handle: DeviceRoute): Route {
  return (call) => {
    const token = bearerToken(call);
    if (!token)
      return fail(401, ErrorCodes.unauthorised, 'send the device token as Authorization: Bearer <token>');
    const device = call.state.devices.get(token);
    if (!device)
      return fail(401, ErrorCodes.unauthorised, 'the device token is not known: enrol the device first');
    return handle(call, device);
  };
}

/** The token of an `Authorization: Bearer` header (RFC 6750 §2.1); undefined without one. */
function bearerToken(call: Call): string | undefined {
  const header = call.request.headers.get('authorization');
  return header === null ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

function ok<T>(status: 200 | 201, body: T): Response {
  return HttpResponse.json(body as Record<string, unknown>, { status });
}

function fail(status: number, code: ApiError['code'], message: string): Response {
  const body: ApiError = { code, message };
  return HttpResponse.json(body, { status });
}

function badRequest(message: string): Response {
  return fail(400, ErrorCodes.badRequest, message);
}

/** What a field must be, or undefined when the value is fine. */
type Check = (value: unknown) => string | undefined;

const text: Check = (value) =>
  typeof value === 'string' && value.trim() !== '' ? undefined : 'a non-empty string';
const version: Check = (value) =>
  typeof value === 'string' && /^\d+(\.\d+)*$/.test(value) ? undefined : 'a dotted version such as "4.6"';
const oneOf =
  (...allowed: string[]): Check =>
  (value) =>
    typeof value === 'string' && allowed.includes(value)
      ? undefined
      : `one of ${allowed.map((v) => `"${v}"`).join(', ')}`;
const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined ? undefined : check(value);
const shape =
  (fields: Record<string, Check>): Check =>
  (value) =>
    isRecord(value) && Object.entries(fields).every(([field, check]) => check(value[field]) === undefined)
      ? undefined
      : `an object with ${Object.keys(fields).join(' and ')} (non-empty strings)`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** The JSON body checked against the fields' rules; a 400 naming the first bad field otherwise. */
/** RFC 9110 §15.5.16: a body in a media type the operation does not take is refused with 415. */
function unsupportedMediaType(call: Call): Response | undefined {
  const header = call.request.headers.get('content-type');
  let essence: string | undefined;
  try {
    essence = header === null ? undefined : new MIMEType(header).essence;
  } catch {
    essence = undefined;
  }
  if (essence === 'application/json') return undefined;
  return fail(
    415,
    ErrorCodes.unsupportedMediaType,
    `the request body must be sent as Content-Type: application/json (found ${header === null ? 'no Content-Type' : JSON.stringify(header)})`,
  );
}

function body<T>(call: Call, fields: Record<string, Check>): T | Response {
  if (call.text.trim() === '')
    return badRequest('the request body must be a JSON object (found an empty body)');
  const refused = unsupportedMediaType(call);
  if (refused) return refused;
  let value: unknown;
  try {
    value = JSON.parse(call.text);
  } catch (error) {
    return badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(value))
    return badRequest(`the request body must be a JSON object (found ${describe(value)})`);
  for (const [field, check] of Object.entries(fields)) {
    const expected = check(value[field]);
    if (expected) return badRequest(`${field} must be ${expected} (found ${describe(value[field])})`);
  }
  return value as T;
}

// ---- views ----

function tenantInfo(state: PolicyState, org: Organisation): TenantInfo {
  const idp = identityProvider(state, org);
  return {
    id: tenantId(org),
    name: org.name,
    domain: org.domain,
    cloud: org.cloud,
    idp: { issuer: idp.issuer, clientId: idp.clientId },
  };
}

function identityProvider(state: PolicyState, org: Organisation): IdentityProviderConfig {
  const idp = state.identityProviders.get(org.id);
  if (!idp) throw new Error(`no identity provider for organisation "${org.id}"`);
  return idp;
}

function deviceResponse(state: PolicyState, device: Device): DeviceResponse {
  const org = organisationById(state, device.orgId);
  const user = org.users.find((candidate) => candidate.username === device.username);
  if (!user) throw new Error(`user "${device.username}" no longer exists in "${org.id}"`);
  const profile = appProfileOf(org, user);
  const own = profile.partnerLogin === 'follow-global' ? undefined : profile.partnerLogin;
  return {
    deviceToken: device.token,
    user: { username: user.username, displayName: user.displayName },
    tenant: tenantInfo(state, org),
    services: { ...org.services },
    partnerLogin: {
      global: { allowUsersToLoginToOtherTenants: org.partnerLogins.allowUsersToLoginToOtherTenants },
      appProfile: {
        name: profile.name,
        followGlobal: own === undefined,
        ...(own && { allowUsersToLoginToOtherTenants: own.allowUsersToLoginToOtherTenants }),
        partnerDomains: (own?.partnerDomains ?? []).map((domain) => ({
          domain,
          tenantName: organisationByDomain(state, domain)?.name ?? domain,
        })),
      },
    },
  };
}

// ---- devices ----

function enrol(call: Call): Response {
  const presented = bearerToken(call);
  if (presented !== undefined && !call.state.devices.has(presented)) {
    // RFC 6750 §3.1: a request that carries an access token the server does not know is refused
    // (invalid_token), also where the operation needs none.
    return fail(
      401,
      ErrorCodes.unauthorised,
      'the Authorization header carries a device token that is not known',
    );
  }
  const request = body<EnrolRequest>(call, {
    username: text,
    platform: oneOf('windows', 'macos'),
    clientVersion: version,
  });
  if (request instanceof Response) return request;
  const found = findUserInState(call.state, request.username);
  if (!found) return fail(404, ErrorCodes.unknownUser, `no user "${request.username}" in any organisation`);
  const device = enrolDevice(call.state, {
    username: found.user.username,
    orgId: found.organisation.id,
    platform: request.platform,
    clientVersion: request.clientVersion,
  });
  return ok(201, deviceResponse(call.state, device));
}

function currentDevice(call: Call, device: Device): Response {
  return ok(200, deviceResponse(call.state, device));
}

// ---- partner tenants ----

/**
 * Whether the user's own organisation lets its users log in to other tenants, as the service
 * decides for this device: app profiles apply to Windows 4.6+ only, and a profile with its own
 * setting overrides the global one.
 */
function ownOrganisationAllows(state: PolicyState, device: Device): boolean {
  const org = organisationById(state, device.orgId);
  const user = org.users.find((candidate) => candidate.username === device.username);
  const profile = user && isWindowsAtLeast(device, '4.6') ? appProfileOf(org, user) : undefined;
  if (profile && profile.partnerLogin !== 'follow-global') {
    return profile.partnerLogin.allowUsersToLoginToOtherTenants;
  }
  return org.partnerLogins.allowUsersToLoginToOtherTenants;
}

/**
 * The service's refusals once the partner organisation is known, in order. The app profile's
 * partnerDomains list is deliberately NOT enforced here: restricting users to the listed domains is
 * the client's duty (it answers 42035 itself), and leaving it to the client keeps that duty observable.
 */
function partnerLoginRefusal(
  state: PolicyState,
  device: Device,
  partner: Organisation,
  primaryTenant: { domain: string; cloud: string } | undefined,
): Response | undefined {
  const own = organisationById(state, device.orgId);
  if (!ownOrganisationAllows(state, device)) {
    return fail(
      403,
      ErrorCodes.partnerLoginDisabled,
      `${own.name} does not allow its users to log in to other tenants`,
    );
  }
  if (partner.id === own.id) {
    return fail(
      400,
      ErrorCodes.domainMismatch,
      `${partner.domain} is the domain of your own tenant (${own.name}): enter your username for the partner tenant`,
    );
  }
  const access = partner.partnerLogins.allowPartnerLoginToThisTenant;
  if (access.mode === 'no-access') {
    return fail(403, ErrorCodes.partnerLoginNotAllowed, `${partner.name} does not allow partner logins`);
  }
  if (access.mode === 'specific-tenants') {
    const listed =
      primaryTenant &&
      access.tenants.some(
        (entry) =>
          entry.domain === primaryTenant.domain &&
          (entry.cloud === undefined || entry.cloud === primaryTenant.cloud),
      );
    if (!listed) {
      return fail(
        403,
        ErrorCodes.partnerTenantNotListed,
        primaryTenant
          ? `${partner.name} does not allow partner logins from ${primaryTenant.domain} on ${primaryTenant.cloud}`
          : `${partner.name} allows partner logins only from listed tenants, and this client did not name its primary tenant`,
      );
    }
  }
  if (partner.partnerLogins.restrictOldClientVersions && !isWindowsAtLeast(device, '4.7')) {
    return fail(
      403,
      ErrorCodes.partnerLoginNotAllowed,
      `${partner.name} requires Client Connector for Windows 4.7 or later: this client (${device.platform} ${device.clientVersion}) is too old`,
    );
  }
  return undefined;
}

function lookupPartner(call: Call, device: Device): Response {
  const request = body<PartnerLookupRequest>(call, {
    username: text,
    primaryTenant: optional(shape({ domain: text, cloud: text })),
  });
  if (request instanceof Response) return request;
  const own = organisationById(call.state, device.orgId);
  const primary = request.primaryTenant;
  if (primary && (primary.domain.toLowerCase() !== own.domain || primary.cloud.toLowerCase() !== own.cloud)) {
    return badRequest(
      `primaryTenant must be this device's tenant {"domain":"${own.domain}","cloud":"${own.cloud}"} (found ${describe(primary)})`,
    );
  }
  const at = request.username.lastIndexOf('@');
  if (at < 0) {
    return fail(
      400,
      ErrorCodes.noDomain,
      `"${request.username}" has no domain: enter the username as name@domain`,
    );
  }
  const domain = request.username.slice(at + 1).toLowerCase();
  const partner = organisationByDomain(call.state, domain);
  if (!partner) return fail(404, ErrorCodes.domainNotRecognised, `the domain "${domain}" is not recognised`);
  const refusal = partnerLoginRefusal(
    call.state,
    device,
    partner,
    primary && { domain: own.domain, cloud: own.cloud },
  );
  if (refusal) return refusal;
  const response: PartnerLookupResponse = { tenant: tenantInfo(call.state, partner) };
  return ok(200, response);
}

// Verifying keys per JWKS document, so each token check is a signature check, not a key import.
const keySets = new WeakMap<IdentityProviderConfig['jwks'], ReturnType<typeof createLocalJWKSet>>();

async function verifyIdToken(idp: IdentityProviderConfig, idToken: string): Promise<JWTPayload> {
  let keys = keySets.get(idp.jwks);
  if (!keys) {
    keys = createLocalJWKSet(idp.jwks);
    keySets.set(idp.jwks, keys);
  }
  const { payload } = await jwtVerify(idToken, keys, { issuer: idp.issuer, audience: idp.clientId });
  return payload;
}

async function enrolPartner(call: Call, device: Device): Promise<Response> {
  const request = body<PartnerEnrolRequest>(call, { tenantId: text, idToken: text });
  if (request instanceof Response) return request;
  const partner = organisationByTenantId(call.state, request.tenantId);
  if (!partner) return fail(404, ErrorCodes.unknownTenant, `no tenant "${request.tenantId}"`);
  let payload: JWTPayload;
  try {
    payload = await verifyIdToken(identityProvider(call.state, partner), request.idToken);
  } catch (error) {
    const reason = error as Error & { code?: string };
    return fail(
      401,
      ErrorCodes.invalidIdToken,
      `the ID token was refused: ${reason.message} (${reason.code ?? reason.name})`,
    );
  }
  const subject = payload.sub?.toLowerCase();
  if (!subject || !partner.users.some((user) => user.username === subject)) {
    return fail(
      401,
      ErrorCodes.invalidIdToken,
      `the ID token's subject ${describe(payload.sub)} is not a user of ${partner.name}`,
    );
  }
  // The same rules as the lookup, so a client cannot skip the lookup; a Windows 4.7+ client names
  // its primary tenant, older ones don't.
  const own = organisationById(call.state, device.orgId);
  const primary = isWindowsAtLeast(device, '4.7') ? { domain: own.domain, cloud: own.cloud } : undefined;
  const refusal = partnerLoginRefusal(call.state, device, partner, primary);
  if (refusal) return refusal;
  const id = tenantId(partner);
  if (!device.partnerTenantIds.includes(id)) {
    device.partnerTenantIds.push(id);
    call.state.tunnels.get(device.token)?.set(id, 'off');
  }
  const response: PartnerEnrolResponse = { tenant: tenantInfo(call.state, partner) };
  return ok(201, response);
}

// ---- ZPA tunnels ----

/** The device's tunnels: its own tenant's (when it uses ZPA), then each partner tenant's. */
function tunnelsOf(state: PolicyState, device: Device): TunnelResponse[] {
  const own = organisationById(state, device.orgId);
  const ids = [...(own.services.zpa ? [tenantId(own)] : []), ...device.partnerTenantIds];
  const states = state.tunnels.get(device.token);
  return ids.map((id) => ({ tenantId: id, state: states?.get(id) ?? 'off' }));
}

function setTunnel(call: Call, device: Device): Response {
  const request = body<TunnelRequest>(call, { state: oneOf('on', 'off') });
  if (request instanceof Response) return request;
  const id = call.params.tenantId ?? '';
  const own = organisationById(call.state, device.orgId);
  if (id === tenantId(own)) {
    if (!own.services.zpa) return fail(409, ErrorCodes.zpaNotEnabled, `${own.name} does not use ZPA`);
  } else if (!device.partnerTenantIds.includes(id)) {
    return fail(404, ErrorCodes.unknownTenant, `the device is not enrolled in tenant "${id}"`);
  }
  // One active tunnel at a time is the client's rule; the server accepts any combination so the
  // harness can see, in the tunnel log, whether the client kept it.
  let states = call.state.tunnels.get(device.token);
  if (!states) {
    states = new Map<string, TunnelState>();
    call.state.tunnels.set(device.token, states);
  }
  states.set(id, request.state);
  const active = tunnelsOf(call.state, device)
    .filter((tunnel) => tunnel.state === 'on')
    .map((tunnel) => tunnel.tenantId);
  const log = call.state.tunnelLog;
  log.push({ seq: log.length + 1, deviceToken: device.token, tenantId: id, state: request.state, active });
  const response: TunnelResponse = { tenantId: id, state: request.state };
  return ok(200, response);
}

function listTunnels(call: Call, device: Device): Response {
  return HttpResponse.json(tunnelsOf(call.state, device), { status: 200 });
}

// ---- everything else under /zcc/ ----

function notInContract(call: Call): Response {
  return fail(
    404,
    ErrorCodes.notInContract,
    `${call.request.method} ${call.url.pathname} is not part of the policy API`,
  );
}
