/**
 * The raw HTTP anchor: what the in-process run's network work costs with no harness around it. It
 * starts the simulated world once (policy API on its loopback listener) and performs N complete
 * partner additions the way a hand-written script would: enrol the device, look the partner up, the
 * OpenID Connect authorization request (openid-client, PKCE S256), the identity provider's sign-in
 * form read and posted with its cookies, the code exchange, the partner enrolment, and the tunnel
 * switches (partner on, main off). The world's state is reset between additions, as per scenario.
 * Usage: node scripts/anchors/raw-http.ts [--flows N]; prints one JSON line
 * `{ "flows", "wallMs", "worldMs", "firstFlowMs" }`: the process's own time from its start to its end and
 * to its first flow, and the world's start.
 */
import { parseArgs } from 'node:util';
import * as oidc from 'openid-client';
import { API_BASE } from '../../mocks/policy/contract.ts';
import { startSimulatedWorld } from '../../src/environment/simulated-world.ts';
import { PACKAGE_ROOT } from '../../src/package-layout.ts';

const { values } = parseArgs({ options: { flows: { type: 'string', default: '150' } } });
const flows = Number(values.flows);

const USER = 'alice@acme.example';
const PARTNER_USER = { username: 'alice@globex.example', password: 'Globex-Test-Pass-1' };
const REDIRECT_URI = 'http://127.0.0.1:49152/oauth/callback';

const worldStart = performance.now();
const world = await startSimulatedWorld({ fixturesDir: `${PACKAGE_ROOT}/fixtures` });
const worldMs = performance.now() - worldStart;
const api = `${world.policyApiUrl}${API_BASE}`;

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Follows the identity provider's redirects with its cookies until it sends the browser to the app. */
async function browse(url: string, cookies: Map<string, string>, init: RequestInit = {}): Promise<Response> {
  let next = url;
  let request = init;
  for (;;) {
    const response = await fetch(next, {
      ...request,
      redirect: 'manual',
      headers: { ...request.headers, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (!location) return response;
    await response.body?.cancel();
    next = new URL(location, next).href;
    if (next.startsWith(REDIRECT_URI)) return Response.redirect(next);
    request = {};
  }
}

async function addPartnerTenant(): Promise<void> {
  world.resetPolicy();
  const device = await call<{ deviceToken: string }>('POST', '/devices', {
    username: USER,
    platform: 'windows',
    clientVersion: '4.7.0',
  });
  const token = device.deviceToken;
  const { tenant } = await call<{ tenant: { id: string; idp: { issuer: string; clientId: string } } }>(
    'POST',
    '/partner-tenants/lookup',
    { username: PARTNER_USER.username },
    token,
  );
  const config = await oidc.discovery(
    new URL(tenant.idp.issuer),
    tenant.idp.clientId,
    undefined,
    oidc.None(),
    {
      execute: [oidc.allowInsecureRequests],
    },
  );
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    login_hint: PARTNER_USER.username,
  });
  const cookies = new Map<string, string>();
  const signInPage = await browse(authorizationUrl.href, cookies);
  const html = await signInPage.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action)
    throw new Error(`no sign-in form (${signInPage.status}): ${/role="alert"[^>]*>([^<]*)/.exec(html)?.[1]}`);
  const callback = await browse(
    new URL(action.replaceAll('&amp;', '&'), signInPage.url || authorizationUrl).href,
    cookies,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(PARTNER_USER).toString(),
    },
  );
  const location = callback.headers.get('location');
  if (!location) throw new Error(`no redirect to the app (${callback.status})`);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(location), {
    pkceCodeVerifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  const enrolled = await call<{ tenant: { id: string } }>(
    'POST',
    '/partner-tenants',
    { tenantId: tenant.id, idToken: tokens.id_token },
    token,
  );
  await call('PUT', `/zpa/tunnels/${enrolled.tenant.id}`, { state: 'on' }, token);
  const tunnels = await call<{ tenantId: string }[]>('GET', '/zpa/tunnels', undefined, token);
  const main = tunnels.find((tunnel) => tunnel.tenantId !== enrolled.tenant.id);
  if (main) await call('PUT', `/zpa/tunnels/${main.tenantId}`, { state: 'off' }, token);
}

const firstFlowMs = performance.now();
for (let i = 0; i < flows; i += 1) await addPartnerTenant();
await world.close();
process.stdout.write(
  `${JSON.stringify({ flows, wallMs: Math.round(performance.now()), worldMs: Math.round(worldMs), firstFlowMs: Math.round(firstFlowMs) })}\n`,
);
