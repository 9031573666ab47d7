import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';
import AjvModule from 'ajv/dist/2020.js';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { bypass, http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import {
  API_BASE,
  type ApiError,
  createPolicyHandlers,
  createPolicyState,
  type DeviceResponse,
  ErrorCodes,
  type IdentityProviders,
  MAX_BODY_BYTES,
  type PartnerLookupResponse,
  type PolicyState,
  REQUEST_LOG_LIMIT,
  servePolicyApi,
  setPartnerLoginAccess,
  setRestrictOldClientVersions,
  type TunnelResponse,
} from '../mocks/policy/index.ts';
import { loadFixtures } from '../src/fixtures/load.ts';
import type { Fixtures, Platform } from '../src/fixtures/types.ts';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface Reply<T = unknown> {
  status: number;
  body: T;
}

interface World {
  state: PolicyState;
  url: string;
  api<T = unknown>(
    method: string,
    path: string,
    /** `contentType` is sent with a body (default application/json; null sends none). */
    options?: { token?: string; body?: unknown; raw?: string; contentType?: string | null },
  ): Promise<Reply<T>>;
  enrol(username: string, platform?: Platform, clientVersion?: string): Promise<DeviceResponse>;
}

let fixtures: Fixtures;
let identityProviders: IdentityProviders;
/** Each organisation's IdP signing key, kid "<org>-key". */
const signingKeys = new Map<string, SigningKey>();

before(async () => {
  fixtures = await loadFixtures(join(import.meta.dirname, '..', 'fixtures'));
  identityProviders = new Map();
  for (const org of fixtures.organisations) {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: `${org.id}-key`, alg: 'ES256', use: 'sig' };
    signingKeys.set(org.id, privateKey);
    identityProviders.set(org.id, {
      issuer: `http://127.0.0.1:9/${org.id}/oauth2/default`,
      clientId: `zcc-${org.id}`,
      jwks: { keys: [jwk] },
    });
  }
});

/** A fresh policy state served on its own loopback listener, closed when the test ends. */
async function startWorld(t: TestContext): Promise<World> {
  const state = createPolicyState(fixtures, identityProviders);
  const listener = await servePolicyApi(createPolicyHandlers(state));
  t.after(() => listener.close());
  const api: World['api'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.body !== undefined ? JSON.stringify(options.body) : options.raw;
    const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
    if (body !== undefined && contentType !== null) headers['content-type'] = contentType;
    const response = await fetch(`${listener.url}${path}`, {
      method,
      headers,
      ...(body !== undefined && { body }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };
  const enrol: World['enrol'] = async (username, platform = 'windows', clientVersion = '4.7') => {
    const reply = await api<DeviceResponse>('POST', `${API_BASE}/devices`, {
      body: { username, platform, clientVersion },
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body;
  };
  return { state, url: listener.url, api, enrol };
}

async function idToken(
  orgId: string,
  subject: string,
  overrides: { issuer?: string; audience?: string; key?: SigningKey; expires?: string } = {},
): Promise<string> {
  const idp = identityProviders.get(orgId);
  const key = overrides.key ?? signingKeys.get(orgId);
  assert.ok(idp && key);
  return new SignJWT({ email: subject })
    .setProtectedHeader({ alg: 'ES256', kid: `${orgId}-key` })
    .setIssuer(overrides.issuer ?? idp.issuer)
    .setAudience(overrides.audience ?? idp.clientId)
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(overrides.expires ?? '5m')
    .sign(key);
}

async function lookup(world: World, token: string, body: unknown): Promise<Reply> {
  return world.api('POST', `${API_BASE}/partner-tenants/lookup`, { token, body });
}

function assertError(reply: Reply, status: number, code: ApiError['code'], message?: RegExp): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  const body = reply.body as ApiError;
  assert.equal(body.code, code);
  assert.equal(typeof body.message, 'string');
  if (message) assert.match(body.message, message);
}

describe('devices', () => {
  it('enrols a user and returns the raw partner-login policy of a follow-global profile', async (t) => {
    const world = await startWorld(t);
    const device = await world.enrol('Alice@acme.example', 'windows', '4.6');
    assert.match(device.deviceToken, /^[\w-]{20,}$/);
    assert.deepEqual(device.user, { username: 'alice@acme.example', displayName: 'Alice Anderson' });
    assert.deepEqual(device.tenant, {
      id: 'tenant-acme',
      name: 'Acme Corp',
      domain: 'acme.example',
      cloud: 'zscalerthree.net',
      idp: { issuer: 'http://127.0.0.1:9/acme/oauth2/default', clientId: 'zcc-acme' },
    });
    assert.deepEqual(device.services, { zpa: true, zia: true });
    assert.deepEqual(device.partnerLogin, {
      global: { allowUsersToLoginToOtherTenants: true },
      appProfile: { name: 'Default', followGlobal: true, partnerDomains: [] },
    });
  });

  it("returns a profile's own setting and its partner domains with tenant names", async (t) => {
    const world = await startWorld(t);
    const amelia = await world.enrol('amelia@acme.example', 'macos', '4.5');
    assert.deepEqual(amelia.partnerLogin, {
      global: { allowUsersToLoginToOtherTenants: true },
      appProfile: {
        name: 'Restricted Partners',
        followGlobal: false,
        allowUsersToLoginToOtherTenants: true,
        partnerDomains: [
          { domain: 'globex.example', tenantName: 'Globex Corporation' },
          { domain: 'hooli.example', tenantName: 'Hooli' },
        ],
      },
    });
    const walter = await world.enrol('walter@wayne.example');
    assert.deepEqual(walter.partnerLogin, {
      global: { allowUsersToLoginToOtherTenants: false },
      appProfile: {
        name: 'Partners Allowed',
        followGlobal: false,
        allowUsersToLoginToOtherTenants: true,
        partnerDomains: [],
      },
    });
    const uma = await world.enrol('uma@umbrella.example');
    assert.deepEqual(uma.services, { zpa: false, zia: true });
  });

  it('serves the current device to its bearer token only', async (t) => {
    const world = await startWorld(t);
    const device = await world.enrol('wendy@wayne.example');
    const current = await world.api<DeviceResponse>('GET', `${API_BASE}/devices/current`, {
      token: device.deviceToken,
    });
    assert.equal(current.status, 200);
    assert.deepEqual(current.body, device);
    assertError(await world.api('GET', `${API_BASE}/devices/current`), 401, 'UNAUTHORISED', /Bearer/);
    assertError(
      await world.api('GET', `${API_BASE}/devices/current`, { token: 'nope' }),
      401,
      'UNAUTHORISED',
    );
  });

  it('refuses unknown users and bad enrolment requests, naming the field', async (t) => {
    const world = await startWorld(t);
    const devices = `${API_BASE}/devices`;
    assertError(
      await world.api('POST', devices, {
        body: { username: 'nobody@acme.example', platform: 'windows', clientVersion: '4.6' },
      }),
      404,
      'UNKNOWN_USER',
    );
    assertError(
      await world.api('POST', devices, {
        body: { username: 'alice@acme.example', platform: 'linux', clientVersion: '4.6' },
      }),
      400,
      'BAD_REQUEST',
      /^platform must be one of "windows", "macos" \(found "linux"\)$/,
    );
    assertError(
      await world.api('POST', devices, {
        body: { username: 'alice@acme.example', platform: 'windows', clientVersion: 'v4' },
      }),
      400,
      'BAD_REQUEST',
      /^clientVersion must be/,
    );
    assertError(
      await world.api('POST', devices, { raw: '{"username": ' }),
      400,
      'BAD_REQUEST',
      /not valid JSON/,
    );
    assertError(
      await world.api('POST', devices, { raw: '[1]' }),
      400,
      'BAD_REQUEST',
      /must be a JSON object/,
    );
    assertError(await world.api('POST', devices), 400, 'BAD_REQUEST', /empty body/);
  });

  it('takes a body only as application/json, and refuses a device token it did not issue', async (t) => {
    const world = await startWorld(t);
    const devices = `${API_BASE}/devices`;
    const enrolment = { username: 'alice@acme.example', platform: 'windows', clientVersion: '4.7' };
    // Without a Content-Type of its own, fetch labels a string body text/plain.
    assertError(
      await world.api('POST', devices, { body: enrolment, contentType: null }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /found "text\/plain;charset=UTF-8"/,
    );
    assertError(
      await world.api('POST', devices, { body: enrolment, contentType: 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /found "text\/plain"/,
    );
    assertError(
      await world.api('POST', devices, { body: enrolment, contentType: 'not a media type' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /found "not a media type"/,
    );
    const withCharset = await world.api('POST', devices, {
      body: enrolment,
      contentType: 'Application/JSON; charset=utf-8',
    });
    assert.equal(withCharset.status, 201, JSON.stringify(withCharset.body));
    assertError(
      await world.api('POST', devices, { body: enrolment, token: 'undefined' }),
      401,
      'UNAUTHORISED',
      /not known/,
    );
    const { deviceToken } = await world.enrol('alice@acme.example', 'macos', '4.6');
    const again = await world.api('POST', devices, { body: enrolment, token: deviceToken });
    assert.equal(again.status, 201, JSON.stringify(again.body));
  });

  it('refuses a body past its limit with 413, reading no more of it, and keeps its latest requests', async (t) => {
    const world = await startWorld(t);
    const devices = `${API_BASE}/devices`;
    const huge = JSON.stringify({ username: 'x'.repeat(1024 * 1024) });
    assertError(
      await world.api('POST', devices, { raw: huge }),
      413,
      'PAYLOAD_TOO_LARGE',
      new RegExp(`larger than ${MAX_BODY_BYTES} bytes`),
    );
    const recorded = world.state.requests.at(-1);
    assert.equal(recorded?.status, 413);
    assert.ok(JSON.stringify(recorded).length < 1000, 'the log holds the refusal, not the body');
    const fits = {
      username: 'alice@acme.example',
      platform: 'windows',
      clientVersion: '4.7',
      pad: 'x'.repeat(MAX_BODY_BYTES - 200),
    };
    assert.equal((await world.api('POST', devices, { body: fits })).status, 201);
    for (let i = 0; i < REQUEST_LOG_LIMIT + 5; i++) await world.api('GET', `${API_BASE}/devices/current`);
    assert.equal(world.state.requests.length, REQUEST_LOG_LIMIT);
    assert.equal(world.state.unhandled.length, 0);
  });
});

describe('partner tenant lookup', () => {
  it('admits a user of an open organisation to an all-tenants partner and returns its IdP', async (t) => {
    const world = await startWorld(t);
    const alice = await world.enrol('alice@acme.example', 'windows', '4.6');
    const reply = await lookup(world, alice.deviceToken, { username: 'alice@globex.example' });
    assert.equal(reply.status, 200);
    assert.deepEqual((reply.body as PartnerLookupResponse).tenant, {
      id: 'tenant-globex',
      name: 'Globex Corporation',
      domain: 'globex.example',
      cloud: 'zscalerthree.net',
      idp: { issuer: 'http://127.0.0.1:9/globex/oauth2/default', clientId: 'zcc-globex' },
    });
    const vandelay = await lookup(world, alice.deviceToken, { username: 'alice@vandelay.example' });
    assert.equal((vandelay.body as PartnerLookupResponse).tenant.cloud, 'zscalertwo.net');
  });

  it('applies the refusals in order: 42001, 42029, disabled, 42035, partner settings', async (t) => {
    const world = await startWorld(t);
    const alice = (await world.enrol('alice@acme.example', 'windows', '4.6')).deviceToken;
    const wendy = (await world.enrol('wendy@wayne.example', 'windows', '4.6')).deviceToken;
    assertError(await lookup(world, alice, { username: 'alice' }), 400, 42001);
    assertError(await lookup(world, wendy, { username: 'wendy' }), 400, 42001);
    assertError(
      await lookup(world, alice, { username: 'alice@nowhere.example' }),
      404,
      42029,
      /nowhere\.example/,
    );
    assertError(await lookup(world, wendy, { username: 'wendy@nowhere.example' }), 404, 42029);
    assertError(
      await lookup(world, wendy, { username: 'wendy@wayne.example' }),
      403,
      'PARTNER_LOGIN_DISABLED',
      /^Wayne Enterprises does not allow its users to log in to other tenants$/,
    );
    assertError(
      await lookup(world, wendy, { username: 'alice@globex.example' }),
      403,
      'PARTNER_LOGIN_DISABLED',
    );
    assertError(await lookup(world, alice, { username: 'alice@acme.example' }), 400, 42035);
    assertError(
      await lookup(world, alice, { username: 'alice@initech.example' }),
      403,
      'PARTNER_LOGIN_NOT_ALLOWED',
      /^Initech does not allow partner logins$/,
    );
  });

  it('applies the app profile only to Windows 4.6 and later (walter: profile allows, global forbids)', async (t) => {
    const world = await startWorld(t);
    const cases: [Platform, string, number][] = [
      ['windows', '4.5', 403],
      ['windows', '4.5.9', 403],
      ['windows', '4.6', 200],
      ['windows', '4.10', 200],
      ['macos', '4.6', 403],
    ];
    for (const [platform, version, status] of cases) {
      const walter = await world.enrol('walter@wayne.example', platform, version);
      const reply = await lookup(world, walter.deviceToken, { username: 'walter@globex.example' });
      assert.equal(reply.status, status, `${platform} ${version}: ${JSON.stringify(reply.body)}`);
      if (status === 403) assertError(reply, 403, 'PARTNER_LOGIN_DISABLED');
    }
  });

  it('lets a profile forbid what the global setting allows, from Windows 4.6 (arthur)', async (t) => {
    const world = await startWorld(t);
    const cases: [Platform, string, number][] = [
      ['windows', '4.5', 200],
      ['windows', '4.6', 403],
      ['macos', '4.6', 200],
    ];
    for (const [platform, version, status] of cases) {
      const arthur = await world.enrol('arthur@acme.example', platform, version);
      const reply = await lookup(world, arthur.deviceToken, { username: 'arthur@globex.example' });
      assert.equal(reply.status, status, `${platform} ${version}: ${JSON.stringify(reply.body)}`);
      if (status === 403) assertError(reply, 403, 'PARTNER_LOGIN_DISABLED', /Acme Corp/);
    }
  });

  it("leaves the profile's partner-domain list to the client", async (t) => {
    const world = await startWorld(t);
    const amelia = await world.enrol('amelia@acme.example', 'windows', '4.7');
    const reply = await lookup(world, amelia.deviceToken, { username: 'amelia@vandelay.example' });
    assert.equal(reply.status, 200);
  });

  it('admits specific tenants only when the client names a listed primary tenant', async (t) => {
    const world = await startWorld(t);
    const alice = (await world.enrol('alice@acme.example', 'windows', '4.7')).deviceToken;
    const acmeTenant = { domain: 'acme.example', cloud: 'zscalerthree.net' };
    const admitted = await lookup(world, alice, {
      username: 'alice@hooli.example',
      primaryTenant: acmeTenant,
    });
    assert.equal(admitted.status, 200);
    assert.equal((admitted.body as PartnerLookupResponse).tenant.id, 'tenant-hooli');
    assertError(
      await lookup(world, alice, { username: 'alice@hooli.example' }),
      403,
      'PARTNER_TENANT_NOT_LISTED',
      /did not name its primary tenant/,
    );
    const uma = (await world.enrol('uma@umbrella.example', 'windows', '4.7')).deviceToken;
    assertError(
      await lookup(world, uma, {
        username: 'uma@hooli.example',
        primaryTenant: { domain: 'umbrella.example', cloud: 'zscalerthree.net' },
      }),
      403,
      'PARTNER_TENANT_NOT_LISTED',
      /^Hooli does not allow partner logins from umbrella\.example on zscalerthree\.net$/,
    );
    assertError(
      await lookup(world, uma, { username: 'uma@hooli.example', primaryTenant: acmeTenant }),
      400,
      'BAD_REQUEST',
      /^primaryTenant must be this device's tenant/,
    );
    assertError(
      await lookup(world, alice, {
        username: 'alice@hooli.example',
        primaryTenant: { domain: 'acme.example' },
      }),
      400,
      'BAD_REQUEST',
      /^primaryTenant must be an object with domain and cloud/,
    );

    setPartnerLoginAccess(world.state, 'hooli', {
      mode: 'specific-tenants',
      tenants: [{ domain: 'acme.example', cloud: 'zscalertwo.net' }],
    });
    assertError(
      await lookup(world, alice, { username: 'alice@hooli.example', primaryTenant: acmeTenant }),
      403,
      'PARTNER_TENANT_NOT_LISTED',
    );
    setPartnerLoginAccess(world.state, 'hooli', {
      mode: 'specific-tenants',
      tenants: [{ domain: 'acme.example' }],
    });
    const anyCloud = await lookup(world, alice, {
      username: 'alice@hooli.example',
      primaryTenant: acmeTenant,
    });
    assert.equal(anyCloud.status, 200);
  });

  it('refuses clients older than Windows 4.7 when the partner restricts old versions', async (t) => {
    const world = await startWorld(t);
    const cases: [Platform, string, number][] = [
      ['windows', '4.6', 403],
      ['windows', '4.7', 200],
      ['windows', '4.7.1', 200],
      ['macos', '4.7', 403],
    ];
    for (const [platform, version, status] of cases) {
      const alice = await world.enrol('alice@acme.example', platform, version);
      const reply = await lookup(world, alice.deviceToken, { username: 'alice@soylent.example' });
      assert.equal(reply.status, status, `${platform} ${version}: ${JSON.stringify(reply.body)}`);
      if (status === 403) assertError(reply, 403, 'PARTNER_LOGIN_NOT_ALLOWED', /too old/);
    }
  });

  it('lets a ZIA-only organisation add partner tenants', async (t) => {
    const world = await startWorld(t);
    const uma = await world.enrol('uma@umbrella.example', 'macos', '4.5');
    assert.equal((await lookup(world, uma.deviceToken, { username: 'uma@globex.example' })).status, 200);
  });

  it('needs a device token', async (t) => {
    const world = await startWorld(t);
    assertError(
      await world.api('POST', `${API_BASE}/partner-tenants/lookup`, {
        body: { username: 'alice@globex.example' },
      }),
      401,
      'UNAUTHORISED',
    );
  });
});

describe('partner enrolment', () => {
  it('enrols the device in the partner tenant with a valid ID token from the partner IdP', async (t) => {
    const world = await startWorld(t);
    const alice = await world.enrol('alice@acme.example', 'windows', '4.6');
    const reply = await world.api<{ tenant: { id: string; name: string } }>(
      'POST',
      `${API_BASE}/partner-tenants`,
      {
        token: alice.deviceToken,
        body: { tenantId: 'tenant-globex', idToken: await idToken('globex', 'alice@globex.example') },
      },
    );
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.body.tenant.id, 'tenant-globex');
    assert.equal(reply.body.tenant.name, 'Globex Corporation');
    assert.deepEqual(world.state.devices.get(alice.deviceToken)?.partnerTenantIds, ['tenant-globex']);
    const tunnels = await world.api('GET', `${API_BASE}/zpa/tunnels`, { token: alice.deviceToken });
    assert.deepEqual(tunnels.body, [
      { tenantId: 'tenant-acme', state: 'off' },
      { tenantId: 'tenant-globex', state: 'off' },
    ]);
  });

  it('refuses ID tokens with the wrong issuer, audience, signature or expiry', async (t) => {
    const world = await startWorld(t);
    const alice = (await world.enrol('alice@acme.example', 'windows', '4.6')).deviceToken;
    const { privateKey: stranger } = await generateKeyPair('ES256');
    const hooliIssuer = identityProviders.get('hooli')?.issuer;
    const tokens: [string, RegExp][] = [
      [await idToken('globex', 'alice@globex.example', { issuer: hooliIssuer }), /"iss"/],
      [await idToken('globex', 'alice@globex.example', { audience: 'zcc-hooli' }), /"aud"/],
      [await idToken('globex', 'alice@globex.example', { key: stranger }), /signature verification failed/],
      [await idToken('hooli', 'alice@globex.example'), /no applicable key/],
      [await idToken('globex', 'alice@globex.example', { expires: '-1m' }), /"exp"/],
      ['not-a-jwt', /Invalid/i],
    ];
    for (const [token, reason] of tokens) {
      const reply = await world.api('POST', `${API_BASE}/partner-tenants`, {
        token: alice,
        body: { tenantId: 'tenant-globex', idToken: token },
      });
      assertError(reply, 401, 'INVALID_ID_TOKEN', reason);
    }
    assert.deepEqual(world.state.devices.get(alice)?.partnerTenantIds, []);
  });

  it('refuses unknown tenants, subjects of another organisation, and what the lookup would refuse', async (t) => {
    const world = await startWorld(t);
    const alice = (await world.enrol('alice@acme.example', 'windows', '4.6')).deviceToken;
    const arthur = (await world.enrol('arthur@acme.example', 'windows', '4.6')).deviceToken;
    const partnerTenants = `${API_BASE}/partner-tenants`;
    assertError(
      await world.api('POST', partnerTenants, {
        token: alice,
        body: { tenantId: 'tenant-nowhere', idToken: await idToken('globex', 'alice@globex.example') },
      }),
      404,
      'UNKNOWN_TENANT',
    );
    assertError(
      await world.api('POST', partnerTenants, {
        token: alice,
        body: { tenantId: 'tenant-globex', idToken: await idToken('globex', 'alice@hooli.example') },
      }),
      401,
      'INVALID_ID_TOKEN',
      /not a user of Globex Corporation/,
    );
    assertError(
      await world.api('POST', partnerTenants, {
        token: arthur,
        body: { tenantId: 'tenant-globex', idToken: await idToken('globex', 'arthur@globex.example') },
      }),
      403,
      'PARTNER_LOGIN_DISABLED',
    );
    assertError(
      await world.api('POST', partnerTenants, {
        token: alice,
        body: { tenantId: 'tenant-hooli', idToken: await idToken('hooli', 'alice@hooli.example') },
      }),
      403,
      'PARTNER_TENANT_NOT_LISTED',
    );
    assertError(
      await world.api('POST', partnerTenants, { token: alice, body: { tenantId: 'tenant-globex' } }),
      400,
      'BAD_REQUEST',
      /^idToken must be/,
    );
  });

  it('unenrols old partner devices when the partner starts restricting old versions', async (t) => {
    const world = await startWorld(t);
    const enrolIn = async (deviceToken: string) => {
      const reply = await world.api('POST', `${API_BASE}/partner-tenants`, {
        token: deviceToken,
        body: { tenantId: 'tenant-globex', idToken: await idToken('globex', 'alice@globex.example') },
      });
      assert.equal(reply.status, 201);
    };
    const old = (await world.enrol('alice@acme.example', 'macos', '4.6')).deviceToken;
    const current = (await world.enrol('alice@acme.example', 'windows', '4.7')).deviceToken;
    await enrolIn(old);
    await enrolIn(current);
    setRestrictOldClientVersions(world.state, 'globex', true);
    assert.deepEqual(world.state.devices.get(old)?.partnerTenantIds, []);
    assert.deepEqual(world.state.devices.get(current)?.partnerTenantIds, ['tenant-globex']);
  });
});

describe('ZPA tunnels', () => {
  it('switches tunnels and logs the set of active tenants after every change', async (t) => {
    const world = await startWorld(t);
    const alice = (await world.enrol('alice@acme.example', 'windows', '4.6')).deviceToken;
    await world.api('POST', `${API_BASE}/partner-tenants`, {
      token: alice,
      body: { tenantId: 'tenant-globex', idToken: await idToken('globex', 'alice@globex.example') },
    });
    const put = (tenant: string, state: string) =>
      world.api<TunnelResponse>('PUT', `${API_BASE}/zpa/tunnels/${tenant}`, {
        token: alice,
        body: { state },
      });
    assert.deepEqual((await put('tenant-acme', 'on')).body, { tenantId: 'tenant-acme', state: 'on' });
    // The server accepts two tunnels on at once; the log is how the harness catches such a client.
    await put('tenant-globex', 'on');
    await put('tenant-acme', 'off');
    assert.deepEqual(
      world.state.tunnelLog.map(({ seq, tenantId, state, active }) => ({ seq, tenantId, state, active })),
      [
        { seq: 1, tenantId: 'tenant-acme', state: 'on', active: ['tenant-acme'] },
        { seq: 2, tenantId: 'tenant-globex', state: 'on', active: ['tenant-acme', 'tenant-globex'] },
        { seq: 3, tenantId: 'tenant-acme', state: 'off', active: ['tenant-globex'] },
      ],
    );
    assert.ok(world.state.tunnelLog.every((entry) => entry.deviceToken === alice));
    const list = await world.api('GET', `${API_BASE}/zpa/tunnels`, { token: alice });
    assert.deepEqual(list.body, [
      { tenantId: 'tenant-acme', state: 'off' },
      { tenantId: 'tenant-globex', state: 'on' },
    ]);
    assertError(await put('tenant-hooli', 'on'), 404, 'UNKNOWN_TENANT');
    assertError(await put('tenant-globex', 'maybe'), 400, 'BAD_REQUEST', /^state must be one of "on", "off"/);
    assert.equal(world.state.tunnelLog.length, 3);
  });

  it('refuses the own tunnel of an organisation without ZPA', async (t) => {
    const world = await startWorld(t);
    const uma = (await world.enrol('uma@umbrella.example', 'windows', '4.6')).deviceToken;
    assertError(
      await world.api('PUT', `${API_BASE}/zpa/tunnels/tenant-umbrella`, {
        token: uma,
        body: { state: 'on' },
      }),
      409,
      'ZPA_NOT_ENABLED',
    );
    assert.deepEqual((await world.api('GET', `${API_BASE}/zpa/tunnels`, { token: uma })).body, []);
  });
});

describe('recording and the rest of /zcc/', () => {
  it('records every request with its response, and paths outside the contract in unhandled too', async (t) => {
    const world = await startWorld(t);
    const alice = await world.enrol('alice@acme.example', 'windows', '4.6');
    const foo = await world.api('POST', `${API_BASE}/foo?x=1`, { body: { a: 1 } });
    assertError(foo, 404, 'NOT_IN_CONTRACT', /^POST \/zcc\/api\/v1\/foo is not part of the policy API$/);
    assertError(
      await world.api('GET', `${API_BASE}/devices`),
      404,
      'NOT_IN_CONTRACT',
      /^GET \/zcc\/api\/v1\/devices /,
    );
    assertError(await world.api('GET', '/elsewhere'), 404, 'NOT_IN_CONTRACT', /not served here/);

    assert.equal(world.state.requests.length, 3);
    assert.deepEqual(world.state.requests[0], {
      method: 'POST',
      path: '/zcc/api/v1/devices',
      query: {},
      body: { username: 'alice@acme.example', platform: 'windows', clientVersion: '4.6' },
      status: 201,
      responseBody: alice,
    });
    assert.deepEqual(world.state.requests[1], {
      method: 'POST',
      path: '/zcc/api/v1/foo',
      query: { x: '1' },
      body: { a: 1 },
      status: 404,
      responseBody: foo.body,
    });
    assert.deepEqual(
      world.state.unhandled.map((entry) => `${entry.method} ${entry.path}`),
      ['POST /zcc/api/v1/foo', 'GET /zcc/api/v1/devices'],
    );
  });

  it('records a body that is not JSON as text', async (t) => {
    const world = await startWorld(t);
    await world.api('POST', `${API_BASE}/devices`, { raw: 'username=alice' });
    assert.equal(world.state.requests[0]?.body, 'username=alice');
    assert.equal(world.state.requests[0]?.status, 400);
  });
});

describe('the loopback listener', () => {
  it('asks a handler getter on every request and never forwards a passthrough answer', async (t) => {
    let state = createPolicyState(fixtures, identityProviders);
    const handlers = () => [...createPolicyHandlers(state), http.all('*', () => passthrough())];
    const listener = await servePolicyApi(handlers);
    t.after(() => listener.close());
    const current = () => fetch(`${listener.url}${API_BASE}/devices/current`);
    assert.equal((await current()).status, 401);
    const first = state;
    state = createPolicyState(fixtures, identityProviders);
    assert.equal((await current()).status, 401);
    assert.equal(first.requests.length, 1);
    assert.equal(state.requests.length, 1);
    const elsewhere = await fetch(`${listener.url}/elsewhere`);
    assert.equal(elsewhere.status, 404);
    assert.equal(((await elsewhere.json()) as ApiError).code, 'NOT_IN_CONTRACT');
  });
});

describe('in process with setupServer', () => {
  it('answers intercepted fetches, and reaches the listener only through bypass()', async (t) => {
    const inProcess = createPolicyState(fixtures, identityProviders);
    const behindListener = createPolicyState(fixtures, identityProviders);
    const listener = await servePolicyApi(createPolicyHandlers(behindListener));
    const server = setupServer(...createPolicyHandlers(inProcess));
    server.listen({ onUnhandledFrame: 'error' });
    t.after(async () => {
      server.close();
      await listener.close();
    });
    const enrolment = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice@acme.example', platform: 'macos', clientVersion: '4.6' }),
    };
    const intercepted = await fetch(`http://policy.connector.test${API_BASE}/devices`, enrolment);
    assert.equal(intercepted.status, 201);
    const sameHandlersAnswer = await fetch(`${listener.url}${API_BASE}/devices`, enrolment);
    assert.equal(sameHandlersAnswer.status, 201);
    assert.equal(inProcess.requests.length, 2, 'without bypass() the listener never sees the request');
    assert.equal(behindListener.requests.length, 0);
    const bypassed = await fetch(bypass(`${listener.url}${API_BASE}/devices`, enrolment));
    assert.equal(bypassed.status, 201);
    assert.equal(behindListener.requests.length, 1);
    const printed = t.mock.method(console, 'error', () => {});
    await assert.rejects(fetch('http://elsewhere.connector.test/'), TypeError);
    assert.match(String(printed.mock.calls[0]?.arguments[0]), /without a matching request handler/);
  });
});

describe('openapi.yaml', () => {
  interface Operation {
    responses: Record<string, { $ref?: string; content?: { 'application/json': { schema: object } } }>;
  }
  interface OpenApi {
    paths: Record<string, Record<string, Operation>>;
    components: { responses: Record<string, Operation['responses'][string]> };
  }

  async function openApi(): Promise<OpenApi> {
    return parse(
      await readFile(join(import.meta.dirname, '..', 'mocks', 'policy', 'openapi.yaml'), 'utf8'),
    ) as OpenApi;
  }

  it('lists exactly the served endpoints and error codes', async () => {
    const doc = await openApi();
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    assert.deepEqual(operations.sort(), [
      'GET /devices/current',
      'GET /zpa/tunnels',
      'POST /devices',
      'POST /partner-tenants',
      'POST /partner-tenants/lookup',
      'PUT /zpa/tunnels/{tenantId}',
    ]);
    const text = JSON.stringify(doc);
    for (const code of Object.values(ErrorCodes))
      assert.ok(text.includes(String(code)), `${code} is documented`);
  });

  it('describes every response a scenario produces', async (t) => {
    const doc = await openApi();
    const ajv = new AjvModule.default({ strict: false, validateFormats: false });
    ajv.addSchema(doc, 'openapi');
    const world = await startWorld(t);
    const alice = (await world.enrol('alice@acme.example', 'windows', '4.7')).deviceToken;
    const uma = (await world.enrol('uma@umbrella.example', 'macos', '4.6')).deviceToken;
    await world.api('GET', `${API_BASE}/devices/current`, { token: alice });
    await world.api('GET', `${API_BASE}/devices/current`);
    await lookup(world, alice, { username: 'alice@globex.example' });
    await lookup(world, alice, { username: 'alice' });
    await lookup(world, alice, { username: 'alice@nowhere.example' });
    await lookup(world, alice, { username: 'alice@initech.example' });
    await world.api('POST', `${API_BASE}/partner-tenants`, {
      token: alice,
      body: { tenantId: 'tenant-globex', idToken: await idToken('globex', 'alice@globex.example') },
    });
    await world.api('POST', `${API_BASE}/partner-tenants`, {
      token: alice,
      body: { tenantId: 'x', idToken: 'y' },
    });
    await world.api('PUT', `${API_BASE}/zpa/tunnels/tenant-globex`, { token: alice, body: { state: 'on' } });
    await world.api('PUT', `${API_BASE}/zpa/tunnels/tenant-umbrella`, { token: uma, body: { state: 'on' } });
    await world.api('GET', `${API_BASE}/zpa/tunnels`, { token: alice });
    await world.api('POST', `${API_BASE}/devices`, { raw: '{' });
    await world.api('POST', `${API_BASE}/devices`, { raw: '{}', contentType: 'text/plain' });
    await world.api('POST', `${API_BASE}/devices`, { raw: '{}', token: 'unknown' });
    await world.api('POST', `${API_BASE}/devices`, { raw: 'x'.repeat(MAX_BODY_BYTES + 1) });
    await world.api('POST', `${API_BASE}/partner-tenants/lookup`, {
      token: alice,
      body: { username: 'alice@globex.example' },
      contentType: 'text/plain',
    });

    const statuses = new Set<string>();
    for (const entry of world.state.requests) {
      const path = entry.path.replace(API_BASE, '');
      const template = Object.keys(doc.paths).find((candidate) =>
        new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
      );
      assert.ok(template, `${entry.method} ${path} is documented`);
      const method = entry.method.toLowerCase();
      let location = `/paths/${pointer(template)}/${method}/responses/${entry.status}`;
      const response = doc.paths[template]?.[method]?.responses[String(entry.status)];
      assert.ok(response, `${entry.method} ${template} documents ${entry.status}`);
      if (response.$ref) location = response.$ref.slice(1);
      const validate = ajv.getSchema(`openapi#${location}/content/application~1json/schema`);
      assert.ok(validate, `a JSON schema for ${entry.method} ${template} ${entry.status}`);
      assert.ok(
        validate(entry.responseBody),
        `${entry.method} ${path} ${entry.status}: ${ajv.errorsText(validate.errors)}`,
      );
      statuses.add(`${entry.method} ${template} ${entry.status}`);
    }
    assert.ok(statuses.size >= 12, [...statuses].join(', '));
  });
});

function pointer(path: string): string {
  return path.replaceAll('~', '~0').replaceAll('/', '~1');
}
