import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  compareVersions,
  DEFECTS,
  type DefectName,
  effectivePartnerLogin,
  PolicyApiError,
  ReferenceClient,
  type SignInRequest,
} from '../client/index.ts';
import { type RunningIdentityProvider, startIdentityProvider } from '../mocks/idp/identity-provider.ts';
import { createPolicyHandlers } from '../mocks/policy/handlers.ts';
import { servePolicyApi } from '../mocks/policy/http-listener.ts';
import { createPolicyState } from '../mocks/policy/state.ts';
import { HttpUserAgent } from '../src/agents/http-user-agent.ts';
import { InProcessDriver } from '../src/drivers/in-process.ts';
import { createDriver } from '../src/drivers/index.ts';
import type { ClientView } from '../src/drivers/types.ts';
import { loadFixtures } from '../src/fixtures/load.ts';
import type { Platform } from '../src/fixtures/types.ts';
import { ClientActionError } from '../src/verdict.ts';
import {
  ACME,
  followGlobal,
  redirectBack as followRedirect,
  GLOBEX,
  GLOBEX_USER,
  INITECH,
  ownSetting,
  type Policy,
  type StubbedClientOptions,
  StubPolicyApi,
  stubbedClient,
  stubSignIn,
} from './support/reference-client-stubs.ts';

const dataDirs: string[] = [];
const sessions: Session[] = [];
after(async () => {
  await Promise.all(sessions.map((session) => session.client.quit()));
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Session {
  client: ReferenceClient;
  api: StubPolicyApi;
  signIns: SignInRequest[];
  log: string[];
  dataDir: string;
  restart(): Promise<ReferenceClient>;
}

async function startSession(options: StubbedClientOptions = {}): Promise<Session> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ccc-test-'));
  dataDirs.push(dataDir);
  const { api, signIns, log, start } = stubbedClient(options, dataDir);
  const session: Session = {
    client: await start(),
    api,
    signIns,
    log,
    dataDir,
    async restart() {
      await session.client.quit();
      session.client = await start();
      return session.client;
    },
  };
  sessions.push(session);
  return session;
}

/** The policy API's answers when Globex refuses partner logins, and when it refuses an ID token. */
const globexRefuses = () =>
  new PolicyApiError(403, 'PARTNER_LOGIN_NOT_ALLOWED', 'Globex Corporation does not allow partner logins');
const idTokenRefused = () => new PolicyApiError(401, 'INVALID_ID_TOKEN', 'the ID token was refused');

const click = (client: ReferenceClient, control: string, tenant?: string) =>
  client.act(tenant === undefined ? { type: 'click', control } : { type: 'click', control, tenant });

async function openAddTenant(client: ReferenceClient): Promise<void> {
  await click(client, 'Private Access');
  await click(client, 'Add Partner Tenant');
}

async function submitUsername(client: ReferenceClient, username: string, button = 'Submit'): Promise<void> {
  await client.act({ type: 'fill', field: 'Username', value: username });
  await click(client, button);
}

/** What the browser does after the IdP: follow the redirect to the client's loopback listener. */
function redirectBack(
  view: ClientView,
  params: Record<string, string>,
): Promise<{ status: number; text: string }> {
  assert.ok(view.authorizationUrl, `no authorization URL in the ${view.title} window`);
  return followRedirect(view.authorizationUrl, params);
}

/** Username flow for Globex up to and including the IdP's redirect back with a code. */
async function addGlobex(session: Session): Promise<{ status: number; text: string }> {
  await openAddTenant(session.client);
  await submitUsername(session.client, GLOBEX_USER);
  return redirectBack(session.client.view(), { code: 'good' });
}

const INITECH_USER = 'pat@initech.example';

/** A second partner from the Private Access window: Add Partner Tenant, its username, the redirect back. */
async function addPartner(session: Session, username: string): Promise<void> {
  await click(session.client, 'Add Partner Tenant');
  await submitUsername(session.client, username);
  await redirectBack(session.client.view(), { code: 'good' });
}

const tenantStates = (view: ClientView) => view.tenants.map((tenant) => `${tenant.name}: ${tenant.zpa}`);

async function rejectsWith(promise: Promise<unknown>, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ClientActionError, `expected a ClientActionError, got ${String(error)}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

// ---- tests ----

describe('client versions', () => {
  it('compares dotted versions numerically', () => {
    assert.equal(compareVersions('4.10', '4.9'), 1);
    assert.equal(compareVersions('4.6', '4.6.0'), 0);
    assert.equal(compareVersions('4.5.2', '4.6'), -1);
  });

  it('refuses a version that is not dotted numbers', async () => {
    await assert.rejects(startSession({ version: '4.x' }), /"4\.x" is not a client version/);
  });
});

describe('effective partner-login policy', () => {
  const targets: Array<[Platform, string]> = [
    ['windows', '4.5'],
    ['windows', '4.6'],
    ['windows', '4.7'],
    ['macos', '4.7'],
  ];
  const cases: Array<{ name: string; policy: Policy; allowed: boolean[]; selection: boolean[] }> = [
    {
      name: 'follow global, on',
      policy: followGlobal(true),
      allowed: [true, true, true, true],
      selection: [false, false, false, false],
    },
    {
      name: 'follow global, off',
      policy: followGlobal(false),
      allowed: [false, false, false, false],
      selection: [false, false, false, false],
    },
    {
      name: 'own allow, global off',
      policy: ownSetting(false, true),
      allowed: [false, true, true, false],
      selection: [false, false, false, false],
    },
    {
      name: 'own deny, global on',
      policy: ownSetting(true, false),
      allowed: [true, false, false, true],
      selection: [false, false, false, false],
    },
    {
      name: 'own allow with domains, global off',
      policy: ownSetting(false, true, [GLOBEX]),
      allowed: [false, true, true, false],
      selection: [false, true, true, false],
    },
    {
      name: 'own allow with domains, global on',
      policy: ownSetting(true, true, [GLOBEX]),
      allowed: [true, true, true, true],
      selection: [false, true, true, false],
    },
    {
      name: 'own deny with domains, global on',
      policy: ownSetting(true, false, [GLOBEX]),
      allowed: [true, false, false, true],
      selection: [false, false, false, false],
    },
  ];
  for (const { name, policy, allowed, selection } of cases) {
    it(name, () => {
      const actual = targets.map(([platform, version]) => effectivePartnerLogin(platform, version, policy));
      assert.deepEqual(
        actual.map((effective) => effective.allowed),
        allowed,
        'allowed',
      );
      assert.deepEqual(
        actual.map((effective) => effective.showLink),
        allowed,
        'Add Partner Tenant shown',
      );
      assert.deepEqual(
        actual.map((effective) => effective.selection),
        selection,
        'selection form',
      );
    });
  }

  it('shows the link and the selection form in the client as the policy decides', async () => {
    const win46 = await startSession({ version: '4.6', policy: ownSetting(false, true, [GLOBEX, INITECH]) });
    await openAddTenant(win46.client);
    const selectionView = win46.client.view();
    assert.deepEqual(selectionView.options, ['Globex Corporation', 'Initech']);
    assert.deepEqual(selectionView.controls, ['Connect', 'Cancel']);
    assert.deepEqual(selectionView.fields, []);

    const win45 = await startSession({ version: '4.5', policy: ownSetting(false, true, [GLOBEX]) });
    await click(win45.client, 'Private Access');
    assert.deepEqual(win45.client.view().controls, ['Close']);

    const mac = await startSession({ platform: 'macos', policy: ownSetting(true, true, [GLOBEX]) });
    await openAddTenant(mac.client);
    assert.deepEqual(mac.client.view().fields, ['Username']);
    assert.deepEqual(mac.client.view().options, []);
  });
});

describe('windows and enrolment', () => {
  it('enrols, turns its own tenant on and opens on the main window', async () => {
    const { client, api } = await startSession();
    assert.deepEqual(api.calls, ['POST /devices windows 4.7', 'PUT tenant-acme on']);
    const view = client.view();
    assert.equal(view.window, 'main');
    assert.equal(view.title, 'Zscaler Client Connector');
    assert.deepEqual(view.controls, ['Private Access', 'Internet Security']);
    assert.deepEqual(view.tenants, []);
  });

  it('lists the organisation tenant in Private Access and closes back to main', async () => {
    const { client } = await startSession();
    await click(client, 'Private Access');
    const view = client.view();
    assert.equal(view.window, 'private-access');
    assert.equal(view.title, 'Private Access');
    assert.deepEqual(view.tenants, [
      { name: 'Acme Corp', role: 'main', zpa: 'on', controls: ['Turn Off'], username: 'alex@acme.example' },
    ]);
    assert.deepEqual(view.controls, ['Add Partner Tenant', 'Close']);
    assert.deepEqual(view.info, []);
    await click(client, 'Close');
    assert.equal(client.view().window, 'main');
  });

  it('hides Add Partner Tenant when the organisation does not allow partner logins', async () => {
    const { client } = await startSession({ policy: followGlobal(false) });
    await click(client, 'Private Access');
    assert.deepEqual(client.view().controls, ['Close']);
  });

  it('shows a ZIA-only organisation the partner tenant information and no tenant of its own', async () => {
    const { client, api } = await startSession({ zpa: false });
    assert.deepEqual(api.tunnelCalls(), []);
    await click(client, 'Private Access');
    const view = client.view();
    assert.deepEqual(view.tenants, []);
    assert.deepEqual(view.controls, ['Add Partner Tenant', 'Close']);
    assert.equal(view.info.length, 1);
    assert.match(view.info[0] ?? '', /^Partner tenants let you access the private applications/);
  });

  it('lets a ZIA-only organisation add a partner tenant', async () => {
    const session = await startSession({ zpa: false });
    const reply = await addGlobex(session);
    assert.equal(reply.status, 200);
    assert.deepEqual(tenantStates(session.client.view()), ['Globex Corporation: on']);
    assert.deepEqual(session.api.tunnelCalls(), ['PUT tenant-globex on']);
    assert.deepEqual(session.client.view().info.length, 1);
  });

  it('sends onChange after each state change with a fresh view', async () => {
    const { client } = await startSession();
    const seen: string[] = [];
    const unsubscribe = client.onChange((view) => seen.push(view.window));
    await click(client, 'Private Access');
    const view = client.view();
    view.controls.push('tampered');
    assert.deepEqual(client.view().controls, ['Add Partner Tenant', 'Close']);
    unsubscribe();
    await click(client, 'Close');
    assert.deepEqual(seen, ['private-access']);
  });
});

describe('adding a partner tenant with a username', () => {
  it('opens the partner identity provider, then lists both tenants with only the partner on', async () => {
    const session = await startSession();
    const { client, api, signIns } = session;
    await openAddTenant(client);
    const form = client.view();
    assert.equal(form.window, 'add-tenant');
    assert.equal(form.title, 'Add Tenant');
    assert.deepEqual(form.fields, ['Username']);
    assert.deepEqual(form.controls, ['Submit', 'Cancel']);

    await submitUsername(client, GLOBEX_USER);
    const signIn = client.view();
    assert.equal(signIn.window, 'authentication');
    assert.equal(signIn.title, 'Sign In - Globex Corporation');
    assert.deepEqual(signIn.controls, ['Cancel']);
    assert.ok(signIn.authorizationUrl?.startsWith(`${GLOBEX.idp.issuer}/v1/authorize?`));
    assert.equal(signIns[0]?.loginHint, GLOBEX_USER);
    assert.match(signIns[0]?.redirectUri ?? '', /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    assert.deepEqual(api.lookups, [
      { username: GLOBEX_USER, primaryTenant: { domain: 'acme.example', cloud: 'zscalerthree.net' } },
    ]);

    const reply = await redirectBack(signIn, { code: 'good' });
    assert.equal(reply.status, 200);
    assert.match(reply.text, /You are signed in to Globex Corporation\. You can close this window\./);
    const view = client.view();
    assert.equal(view.window, 'private-access');
    assert.equal(view.error, undefined);
    assert.deepEqual(view.tenants, [
      { name: 'Acme Corp', role: 'main', zpa: 'off', controls: ['Turn On'], username: 'alex@acme.example' },
      {
        name: 'Globex Corporation',
        role: 'partner',
        zpa: 'on',
        controls: ['Turn Off'],
        username: GLOBEX_USER,
      },
    ]);
    assert.deepEqual(api.partnerEnrolments, [
      { tenantId: 'tenant-globex', idToken: `id-token-from-${GLOBEX.idp.issuer}` },
    ]);
    assert.deepEqual(api.tunnelCalls(), [
      'PUT tenant-acme on',
      'PUT tenant-acme off',
      'PUT tenant-globex on',
    ]);
    assert.equal(api.mostTunnelsOnAtOnce, 1);
  });

  it('sends the primary tenant only from Windows 4.7 on', async () => {
    for (const [platform, version, sent] of [
      ['windows', '4.6', false],
      ['windows', '4.10', true],
      ['macos', '4.9', false],
    ] as const) {
      const { client, api } = await startSession({ platform, version });
      await openAddTenant(client);
      await submitUsername(client, GLOBEX_USER);
      assert.equal(api.lookups[0]?.primaryTenant !== undefined, sent, `${platform} ${version}`);
    }
  });

  it('asks for a username before looking anything up', async () => {
    const { client, api } = await startSession();
    await openAddTenant(client);
    await submitUsername(client, '  ');
    assert.equal(client.view().error, 'Enter your username.');
    assert.equal(client.view().window, 'add-tenant');
    assert.deepEqual(api.lookups, []);
  });

  it('shows lookup errors in the Add Tenant window', async () => {
    const unknown = await startSession();
    await openAddTenant(unknown.client);
    await submitUsername(unknown.client, 'pat@nowhere.example');
    assert.equal(unknown.client.view().window, 'add-tenant');
    assert.equal(unknown.client.view().error, 'Error 42029: the domain "nowhere.example" is not recognised');

    const refused = await startSession({
      lookupError: globexRefuses(),
    });
    await openAddTenant(refused.client);
    await submitUsername(refused.client, GLOBEX_USER);
    assert.equal(
      refused.client.view().error,
      'Error PARTNER_LOGIN_NOT_ALLOWED: Globex Corporation does not allow partner logins',
    );
    assert.deepEqual(refused.api.tunnelCalls(), ['PUT tenant-acme on']);
  });

  it('Cancel in Add Tenant goes back to Private Access with nothing changed', async () => {
    const { client, api } = await startSession();
    await openAddTenant(client);
    await click(client, 'Cancel');
    assert.equal(client.view().window, 'private-access');
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: on']);
    assert.deepEqual(api.lookups, []);
  });

  it('replaces a partner tenant added again instead of listing it twice', async () => {
    const session = await startSession();
    await addGlobex(session);
    await click(session.client, 'Turn On', 'Acme Corp');
    await click(session.client, 'Add Partner Tenant');
    await submitUsername(session.client, 'kim@globex.example');
    await redirectBack(session.client.view(), { code: 'good' });
    const view = session.client.view();
    assert.deepEqual(tenantStates(view), ['Acme Corp: off', 'Globex Corporation: on']);
    assert.equal(view.tenants[1]?.username, 'kim@globex.example');
  });
});

describe('selecting a partner tenant (Windows 4.6+ with partner domains)', () => {
  const policy = ownSetting(false, true, [GLOBEX, INITECH]);

  it('requires a selection, then asks for the username and checks its domain', async () => {
    const { client, api } = await startSession({ version: '4.6', policy });
    await openAddTenant(client);
    await click(client, 'Connect');
    assert.equal(client.view().error, 'Select a partner tenant.');
    await rejectsWith(
      client.act({ type: 'select', option: 'Umbrella' }),
      'no option "Umbrella" in the Add Tenant window (offered: Globex Corporation, Initech)',
    );
    await client.act({ type: 'select', option: 'Initech' });
    await click(client, 'Connect');
    const form = client.view();
    assert.equal(form.window, 'add-tenant');
    assert.equal(form.error, undefined);
    assert.deepEqual(form.fields, ['Username']);
    assert.deepEqual(form.controls, ['Submit', 'Cancel']);
    assert.deepEqual(form.options, []);

    await submitUsername(client, GLOBEX_USER);
    assert.equal(
      client.view().error,
      "Error 42035: The username's domain does not match the selected partner tenant.",
    );
    assert.deepEqual(api.lookups, []);

    await submitUsername(client, 'sam@Initech.example');
    assert.equal(client.view().title, 'Sign In - Initech');
    assert.deepEqual(api.lookups, [{ username: 'sam@Initech.example' }]);
  });

  it('Cancel from the selection form changes nothing', async () => {
    const { client } = await startSession({ version: '4.6', policy });
    await openAddTenant(client);
    await client.act({ type: 'select', option: 'Globex Corporation' });
    await click(client, 'Cancel');
    assert.equal(client.view().window, 'private-access');
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: on']);
  });
});

describe('failed and cancelled sign-ins', () => {
  async function startSignIn() {
    const session = await startSession();
    await openAddTenant(session.client);
    await submitUsername(session.client, GLOBEX_USER);
    return session;
  }

  it('Cancel in the authentication window closes the listener and changes nothing', async () => {
    const { client, api } = await startSignIn();
    const signIn = client.view();
    await click(client, 'Cancel');
    const view = client.view();
    assert.equal(view.window, 'private-access');
    assert.equal(view.error, 'Sign-in to Globex Corporation was cancelled.');
    assert.deepEqual(tenantStates(view), ['Acme Corp: on']);
    assert.deepEqual(api.tunnelCalls(), ['PUT tenant-acme on']);
    await assert.rejects(redirectBack(signIn, { code: 'late' }), TypeError);
  });

  it('access_denied from the identity provider is a cancelled sign-in', async () => {
    const { client, api } = await startSignIn();
    const reply = await redirectBack(client.view(), {
      error: 'access_denied',
      error_description: 'user cancelled',
    });
    assert.equal(reply.status, 400);
    assert.equal(client.view().error, 'Sign-in to Globex Corporation was cancelled.');
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: on']);
    assert.deepEqual(api.partnerEnrolments, []);
  });

  it('other identity-provider errors are shown with their description', async () => {
    const { client } = await startSignIn();
    await redirectBack(client.view(), { error: 'server_error', error_description: 'the IdP is down' });
    assert.equal(client.view().error, 'Sign-in to Globex Corporation failed: the IdP is down');
  });

  it('a code that cannot be redeemed fails the sign-in and adds nothing', async () => {
    const { client, api } = await startSignIn();
    const reply = await redirectBack(client.view(), { code: 'expired' });
    assert.match(reply.text, /Sign-in to Globex Corporation failed: invalid_grant/);
    const view = client.view();
    assert.equal(view.window, 'private-access');
    assert.equal(
      view.error,
      'Sign-in to Globex Corporation failed: invalid_grant (the authorization code expired)',
    );
    assert.deepEqual(tenantStates(view), ['Acme Corp: on']);
    assert.deepEqual(api.partnerEnrolments, []);
    assert.deepEqual(api.tunnelCalls(), ['PUT tenant-acme on']);
  });

  it('a refused partner enrolment fails the sign-in and adds nothing', async () => {
    const session = await startSession({
      enrolPartnerError: idTokenRefused(),
    });
    await addGlobex(session);
    assert.equal(
      session.client.view().error,
      'Sign-in to Globex Corporation failed: Error INVALID_ID_TOKEN: the ID token was refused',
    );
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: on']);
  });

  it('a forged state fails the sign-in', async () => {
    const { client } = await startSignIn();
    const view = client.view();
    const authorization = new URL(view.authorizationUrl ?? '');
    const callback = new URL(authorization.searchParams.get('redirect_uri') ?? '');
    callback.search = 'code=good&state=forged';
    await fetch(callback);
    assert.equal(client.view().error, 'Sign-in to Globex Corporation failed: the state does not match');
  });

  it('errors clear when the user leaves the window', async () => {
    const { client } = await startSignIn();
    await click(client, 'Cancel');
    assert.ok(client.view().error);
    await click(client, 'Close');
    assert.equal(client.view().error, undefined);
  });
});

describe('switching ZPA between tenants', () => {
  it('Turn On turns every other tenant off first; Turn Off turns one off', async () => {
    const session = await startSession();
    const { client, api } = session;
    await addGlobex(session);
    await click(client, 'Turn On', 'Acme Corp');
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: on', 'Globex Corporation: off']);
    await click(client, 'Turn On', 'Globex Corporation');
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: off', 'Globex Corporation: on']);
    await click(client, 'Turn Off', 'Globex Corporation');
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: off', 'Globex Corporation: off']);
    assert.deepEqual(api.tunnelCalls().slice(3), [
      'PUT tenant-globex off',
      'PUT tenant-acme on',
      'PUT tenant-acme off',
      'PUT tenant-globex on',
      'PUT tenant-globex off',
    ]);
    assert.equal(api.mostTunnelsOnAtOnce, 1);
  });
});

describe('persistence', () => {
  it('a restarted client lists the same tenants and states without tunnel calls', async () => {
    const session = await startSession();
    await addGlobex(session);
    await click(session.client, 'Turn On', 'Acme Corp');
    const callsBefore = session.api.calls.length;
    const client = await session.restart();
    assert.deepEqual(session.api.calls.slice(callsBefore), ['GET /devices/current device-token-1']);
    await click(client, 'Private Access');
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: on', 'Globex Corporation: off']);
    const saved = JSON.parse(await readFile(join(session.dataDir, 'state.json'), 'utf8'));
    assert.equal(saved.deviceToken, 'device-token-1');
    assert.equal(saved.mainZpa, 'on');
    assert.equal(saved.partners[0].tenant.id, 'tenant-globex');
  });

  it('Close and reopen keeps the partner tenant', async () => {
    const session = await startSession();
    await addGlobex(session);
    await click(session.client, 'Close');
    await click(session.client, 'Private Access');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off', 'Globex Corporation: on']);
  });
});

describe('actions the window does not offer', () => {
  it('name the control, field, option or tenant, the window and what is offered', async () => {
    const { client } = await startSession();
    await rejectsWith(
      click(client, 'Add Partner Tenant'),
      'no control "Add Partner Tenant" in the Zscaler Client Connector window (offered: Private Access, Internet Security)',
    );
    await openAddTenant(client);
    await rejectsWith(
      click(client, 'Connect'),
      'no control "Connect" in the Add Tenant window (offered: Submit, Cancel)',
    );
    await rejectsWith(
      client.act({ type: 'select', option: 'Globex Corporation' }),
      'no option "Globex Corporation" in the Add Tenant window (offered: none)',
    );
    await click(client, 'Cancel');
    await rejectsWith(
      client.act({ type: 'fill', field: 'Username', value: 'x' }),
      'no field "Username" in the Private Access window (offered: none)',
    );
    await rejectsWith(
      click(client, 'Turn On', 'Globex Corporation'),
      'no tenant "Globex Corporation" in the Private Access window (listed: Acme Corp)',
    );
    await rejectsWith(
      click(client, 'Turn On', 'Acme Corp'),
      'no control "Turn On" for tenant "Acme Corp" in the Private Access window (offered: Turn Off)',
    );
  });

  it('an unknown defect is refused with the known ones listed', async () => {
    await assert.rejects(
      startSession({ defect: 'no-such-defect' as DefectName }),
      /unknown defect "no-such-defect"; known defects: add-partner-link-ignores-org-setting, .*main-off-after-failed-sign-in/,
    );
  });

  it('quit closes the loopback listener', async () => {
    const { client } = await startSession();
    await openAddTenant(client);
    await submitUsername(client, GLOBEX_USER);
    const signIn = client.view();
    await client.quit();
    await assert.rejects(redirectBack(signIn, { code: 'good' }), TypeError);
    await assert.rejects(click(client, 'Cancel'), /has quit/);
  });
});

// ---- defects: each one breaks its behaviour ----

/**
 * The defect wraps the sign-in to skip a check (sign-in-defects.ts): it reaches the identity provider
 * through a fetch of its own, to keep the ID token whatever the check says; the runs show what that
 * lets through. The clean client uses the sign-in as it is.
 */
async function skipsCheck(defect: DefectName): Promise<void> {
  const session = await startSession({ defect });
  await openAddTenant(session.client);
  await submitUsername(session.client, GLOBEX_USER);
  assert.equal(typeof session.signIns[0]?.fetch, 'function');
  const clean = await startSession();
  await openAddTenant(clean.client);
  await submitUsername(clean.client, GLOBEX_USER);
  assert.equal(clean.signIns[0]?.fetch, undefined);
}

/** The authorization URL the client opened, as the authentication window shows it. */
function openedParameters(client: ReferenceClient): URLSearchParams {
  return new URL(client.view().authorizationUrl ?? 'about:blank').searchParams;
}

const defectChecks: Record<DefectName, () => Promise<void>> = {
  'add-partner-link-ignores-org-setting': async () => {
    const { client } = await startSession({
      defect: 'add-partner-link-ignores-org-setting',
      policy: followGlobal(false),
    });
    await click(client, 'Private Access');
    assert.deepEqual(client.view().controls, ['Add Partner Tenant', 'Close']);
  },
  'partner-refusal-not-shown': async () => {
    const session = await startSession({
      defect: 'partner-refusal-not-shown',
      lookupError: globexRefuses(),
    });
    await openAddTenant(session.client);
    await submitUsername(session.client, GLOBEX_USER);
    assert.equal(session.client.view().window, 'private-access');
    assert.equal(session.client.view().error, undefined);
    // Other lookup errors are still shown.
    await click(session.client, 'Add Partner Tenant');
    await submitUsername(session.client, '');
    assert.equal(session.client.view().error, 'Enter your username.');
  },
  'primary-tenant-not-sent': async () => {
    const { client, api } = await startSession({ defect: 'primary-tenant-not-sent', version: '4.7' });
    await openAddTenant(client);
    await submitUsername(client, GLOBEX_USER);
    assert.deepEqual(api.lookups, [{ username: GLOBEX_USER }]);
    assert.equal(client.view().window, 'authentication');
  },
  'profile-allow-setting-ignored': async () => {
    const denied = await startSession({
      defect: 'profile-allow-setting-ignored',
      version: '4.6',
      policy: ownSetting(true, false),
    });
    await click(denied.client, 'Private Access');
    assert.deepEqual(denied.client.view().controls, ['Add Partner Tenant', 'Close']);
    const withDomains = await startSession({
      defect: 'profile-allow-setting-ignored',
      version: '4.6',
      policy: ownSetting(true, true, [GLOBEX]),
    });
    await openAddTenant(withDomains.client);
    assert.deepEqual(withDomains.client.view().options, ['Globex Corporation']);
  },
  'partner-domain-not-enforced': async () => {
    const { client, api } = await startSession({
      defect: 'partner-domain-not-enforced',
      version: '4.6',
      policy: ownSetting(false, true, [GLOBEX, INITECH]),
    });
    await openAddTenant(client);
    await client.act({ type: 'select', option: 'Initech' });
    await click(client, 'Connect');
    await submitUsername(client, GLOBEX_USER);
    assert.equal(client.view().error, undefined);
    assert.equal(client.view().title, 'Sign In - Globex Corporation');
    assert.deepEqual(api.lookups.length, 1);
  },
  'no-domain-shown-as-mismatch': async () => {
    // After Connect, the client itself refuses a username with no domain: 42001, or 42035 with the defect.
    for (const [defect, code] of [
      [undefined, 42001],
      ['no-domain-shown-as-mismatch', 42035],
    ] as const) {
      const session = await startSession({
        defect,
        version: '4.6',
        policy: ownSetting(false, true, [GLOBEX]),
      });
      await openAddTenant(session.client);
      await session.client.act({ type: 'select', option: 'Globex Corporation' });
      await click(session.client, 'Connect');
      await submitUsername(session.client, 'alice');
      assert.match(session.client.view().error ?? '', new RegExp(`^Error ${code}: `), defect ?? 'no defect');
      assert.equal(session.api.lookups.length, 0);
    }
  },
  'legacy-client-applies-profile-setting': async () => {
    const legacy = await startSession({
      defect: 'legacy-client-applies-profile-setting',
      version: '4.5',
      policy: ownSetting(false, true, [GLOBEX]),
    });
    await openAddTenant(legacy.client);
    assert.deepEqual(legacy.client.view().fields, ['Username'], 'no selection form on a legacy client');
    const mac = await startSession({
      defect: 'legacy-client-applies-profile-setting',
      platform: 'macos',
      policy: ownSetting(true, false),
    });
    await click(mac.client, 'Private Access');
    assert.deepEqual(mac.client.view().controls, ['Close']);
  },
  'zia-only-refuses-partner-login': async () => {
    const ziaOnly = await startSession({ defect: 'zia-only-refuses-partner-login', zpa: false });
    await openAddTenant(ziaOnly.client);
    await submitUsername(ziaOnly.client, GLOBEX_USER);
    assert.equal(
      ziaOnly.client.view().error,
      'Error 42002: Private Access is not configured for your company.',
    );
    assert.deepEqual(ziaOnly.api.lookups, []);
    const withZpa = await startSession({ defect: 'zia-only-refuses-partner-login' });
    await addGlobex(withZpa);
    assert.deepEqual(tenantStates(withZpa.client.view()), ['Acme Corp: off', 'Globex Corporation: on']);
  },
  'zia-only-partner-zpa-off': async () => {
    const ziaOnly = await startSession({ defect: 'zia-only-partner-zpa-off', zpa: false });
    await addGlobex(ziaOnly);
    assert.deepEqual(tenantStates(ziaOnly.client.view()), ['Globex Corporation: off']);
    assert.deepEqual(ziaOnly.api.tunnelCalls(), []);
    const withZpa = await startSession({ defect: 'zia-only-partner-zpa-off' });
    await addGlobex(withZpa);
    assert.deepEqual(tenantStates(withZpa.client.view()), ['Acme Corp: off', 'Globex Corporation: on']);
  },
  'zia-only-partner-info-missing': async () => {
    const { client } = await startSession({ defect: 'zia-only-partner-info-missing', zpa: false });
    await click(client, 'Private Access');
    assert.deepEqual(client.view().info, []);
    assert.deepEqual(client.view().controls, ['Add Partner Tenant', 'Close']);
  },
  'private-access-does-not-open': async () => {
    const { client } = await startSession({ defect: 'private-access-does-not-open' });
    await click(client, 'Private Access');
    assert.equal(client.view().window, 'main');
  },
  'add-partner-link-inert': async () => {
    const { client } = await startSession({ defect: 'add-partner-link-inert' });
    await openAddTenant(client);
    assert.equal(client.view().window, 'private-access');
  },
  'username-form-without-submit': async () => {
    const plain = await startSession({ defect: 'username-form-without-submit' });
    await openAddTenant(plain.client);
    assert.deepEqual(plain.client.view().controls, ['Next', 'Cancel']);
    await rejectsWith(
      click(plain.client, 'Submit'),
      'no control "Submit" in the Add Tenant window (offered: Next, Cancel)',
    );
    await submitUsername(plain.client, GLOBEX_USER, 'Next');
    assert.equal(plain.client.view().window, 'authentication');
    const selecting = await startSession({
      defect: 'username-form-without-submit',
      version: '4.6',
      policy: ownSetting(false, true, [GLOBEX]),
    });
    await openAddTenant(selecting.client);
    await selecting.client.act({ type: 'select', option: 'Globex Corporation' });
    await click(selecting.client, 'Connect');
    assert.deepEqual(selecting.client.view().controls, ['Submit', 'Cancel']);
  },
  'selection-without-connect': async () => {
    const { client } = await startSession({
      defect: 'selection-without-connect',
      version: '4.6',
      policy: ownSetting(false, true, [GLOBEX]),
    });
    await openAddTenant(client);
    assert.deepEqual(client.view().controls, ['Next', 'Cancel']);
    await client.act({ type: 'select', option: 'Globex Corporation' });
    await click(client, 'Next');
    assert.deepEqual(client.view().controls, ['Submit', 'Cancel']);
  },
  'selection-skips-username': async () => {
    const { client, api, signIns } = await startSession({
      defect: 'selection-skips-username',
      version: '4.6',
      policy: ownSetting(false, true, [GLOBEX]),
    });
    await openAddTenant(client);
    await client.act({ type: 'select', option: 'Globex Corporation' });
    await click(client, 'Connect');
    assert.equal(client.view().window, 'authentication');
    assert.deepEqual(api.lookups, [{ username: 'alex@globex.example' }]);
    assert.equal(signIns[0]?.loginHint, 'alex@globex.example');
  },
  'connect-uses-first-option': async () => {
    const { client, api } = await startSession({
      defect: 'connect-uses-first-option',
      version: '4.6',
      policy: ownSetting(false, true, [GLOBEX, INITECH]),
    });
    await openAddTenant(client);
    await client.act({ type: 'select', option: 'Initech' });
    await click(client, 'Connect');
    await submitUsername(client, INITECH_USER);
    assert.match(client.view().error ?? '', /^Error 42035: /);
    assert.deepEqual(api.lookups, []);
  },
  'macos-offers-selection': async () => {
    const { client } = await startSession({
      defect: 'macos-offers-selection',
      platform: 'macos',
      policy: ownSetting(true, true, [GLOBEX]),
    });
    await openAddTenant(client);
    assert.deepEqual(client.view().options, ['Globex Corporation']);
    assert.deepEqual(client.view().controls, ['Connect', 'Cancel']);
  },
  'opens-own-idp': async () => {
    const { client, signIns } = await startSession({ defect: 'opens-own-idp' });
    await openAddTenant(client);
    await submitUsername(client, GLOBEX_USER);
    assert.equal(signIns[0]?.issuer, ACME.idp.issuer);
    assert.ok(client.view().authorizationUrl?.startsWith(ACME.idp.issuer));
    assert.equal(client.view().title, 'Sign In - Globex Corporation');
  },
  'authorization-without-pkce': async () => {
    const { client } = await startSession({ defect: 'authorization-without-pkce' });
    await openAddTenant(client);
    await submitUsername(client, GLOBEX_USER);
    assert.equal(openedParameters(client).has('code_challenge'), false);
    assert.equal(openedParameters(client).has('code_challenge_method'), false);
    assert.equal(openedParameters(client).has('state'), true);
  },
  'redirect-uri-not-registered': async () => {
    const { client, signIns } = await startSession({ defect: 'redirect-uri-not-registered' });
    await openAddTenant(client);
    await submitUsername(client, GLOBEX_USER);
    assert.match(signIns[0]?.redirectUri ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.equal((await redirectBack(client.view(), { code: 'good' })).status, 200);
  },
  'authorization-without-state': async () => {
    const { client } = await startSession({ defect: 'authorization-without-state' });
    await openAddTenant(client);
    await submitUsername(client, GLOBEX_USER);
    assert.equal(openedParameters(client).has('state'), false);
    assert.equal(openedParameters(client).has('code_challenge'), true);
  },
  'other-cloud-partner-not-found': async () => {
    // Globex is on another cloud than Acme in this small world.
    const { client, signIns } = await startSession({ defect: 'other-cloud-partner-not-found' });
    await openAddTenant(client);
    await submitUsername(client, GLOBEX_USER);
    assert.match(client.view().error ?? '', /^Error 42029: /);
    assert.equal(client.view().window, 'add-tenant');
    assert.deepEqual(signIns, []);
  },
  'main-window-after-sign-in': async () => {
    const session = await startSession({ defect: 'main-window-after-sign-in' });
    await addGlobex(session);
    assert.equal(session.client.view().window, 'main');
    await click(session.client, 'Private Access');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off', 'Globex Corporation: on']);
  },
  'partner-login-keeps-main-on': async () => {
    const session = await startSession({ defect: 'partner-login-keeps-main-on' });
    await addGlobex(session);
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: on', 'Globex Corporation: off']);
    assert.deepEqual(session.api.tunnelCalls(), ['PUT tenant-acme on']);
  },
  'turn-on-main-leaves-partner-on': async () => {
    const session = await startSession({ defect: 'turn-on-main-leaves-partner-on' });
    await addGlobex(session);
    await click(session.client, 'Turn On', 'Acme Corp');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: on', 'Globex Corporation: on']);
    assert.equal(session.api.mostTunnelsOnAtOnce, 2);
  },
  'partner-turn-on-ignored': async () => {
    const session = await startSession({ defect: 'partner-turn-on-ignored' });
    await addGlobex(session);
    await click(session.client, 'Turn On', 'Acme Corp');
    const calls = session.api.tunnelCalls().length;
    await click(session.client, 'Turn On', 'Globex Corporation');
    assert.equal(session.api.tunnelCalls().length, calls);
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: on', 'Globex Corporation: off']);
  },
  'tunnels-overlap-while-switching': async () => {
    const session = await startSession({ defect: 'tunnels-overlap-while-switching' });
    await addGlobex(session);
    assert.deepEqual(session.api.tunnelCalls(), [
      'PUT tenant-acme on',
      'PUT tenant-globex on',
      'PUT tenant-acme off',
    ]);
    assert.equal(session.api.mostTunnelsOnAtOnce, 2);
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off', 'Globex Corporation: on']);
  },
  'turn-off-keeps-tunnel': async () => {
    const session = await startSession({ defect: 'turn-off-keeps-tunnel' });
    await addGlobex(session);
    const calls = session.api.tunnelCalls().length;
    await click(session.client, 'Turn Off', 'Globex Corporation');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off', 'Globex Corporation: off']);
    assert.equal(session.api.tunnelCalls().length, calls);
    await click(session.client, 'Turn On', 'Acme Corp');
    assert.equal(session.api.mostTunnelsOnAtOnce, 2);
  },
  'restart-reconnects-main': async () => {
    const session = await startSession({ defect: 'restart-reconnects-main' });
    await addGlobex(session);
    const client = await session.restart();
    await click(client, 'Private Access');
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: on', 'Globex Corporation: on']);
    assert.equal(session.api.mostTunnelsOnAtOnce, 2);
  },
  'second-partner-replaces-first': async () => {
    const session = await startSession({ defect: 'second-partner-replaces-first' });
    await addGlobex(session);
    await addPartner(session, INITECH_USER);
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off', 'Initech: on']);
  },
  'second-sign-in-at-first-idp': async () => {
    const session = await startSession({ defect: 'second-sign-in-at-first-idp' });
    await addGlobex(session);
    await click(session.client, 'Add Partner Tenant');
    await submitUsername(session.client, INITECH_USER);
    assert.equal(session.signIns[1]?.issuer, GLOBEX.idp.issuer);
  },
  'partner-switch-leaves-partner-on': async () => {
    const session = await startSession({ defect: 'partner-switch-leaves-partner-on' });
    await addGlobex(session);
    await addPartner(session, INITECH_USER);
    assert.deepEqual(tenantStates(session.client.view()), [
      'Acme Corp: off',
      'Globex Corporation: on',
      'Initech: on',
    ]);
    assert.equal(session.api.mostTunnelsOnAtOnce, 2);
  },
  'partner-forgotten-on-close': async () => {
    const session = await startSession({ defect: 'partner-forgotten-on-close' });
    await addGlobex(session);
    await click(session.client, 'Close');
    await click(session.client, 'Private Access');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off']);
    const saved = JSON.parse(await readFile(join(session.dataDir, 'state.json'), 'utf8'));
    assert.equal(saved.partners.length, 1);
  },
  'partner-not-saved': async () => {
    const session = await startSession({ defect: 'partner-not-saved' });
    await addGlobex(session);
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off', 'Globex Corporation: on']);
    const client = await session.restart();
    await click(client, 'Private Access');
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: off']);
  },
  'retry-after-cancel-refused': async () => {
    const session = await startSession({ defect: 'retry-after-cancel-refused' });
    await openAddTenant(session.client);
    await submitUsername(session.client, GLOBEX_USER);
    await redirectBack(session.client.view(), { error: 'access_denied' });
    await click(session.client, 'Add Partner Tenant');
    await submitUsername(session.client, GLOBEX_USER);
    assert.equal(session.client.view().error, 'A sign-in to Globex Corporation is already in progress.');
    assert.equal(session.signIns.length, 1);
  },
  'username-fix-ignored': async () => {
    const { client, signIns } = await startSession({
      defect: 'username-fix-ignored',
      version: '4.6',
      policy: ownSetting(false, true, [GLOBEX, INITECH]),
    });
    await openAddTenant(client);
    await client.act({ type: 'select', option: 'Globex Corporation' });
    await click(client, 'Connect');
    await submitUsername(client, INITECH_USER);
    assert.match(client.view().error ?? '', /^Error 42035/);
    await submitUsername(client, GLOBEX_USER);
    assert.match(client.view().error ?? '', /^Error 42035/);
    assert.equal(signIns.length, 0);
  },
  'retry-after-closed-window-refused': async () => {
    const session = await startSession({ defect: 'retry-after-closed-window-refused' });
    await openAddTenant(session.client);
    await submitUsername(session.client, GLOBEX_USER);
    await click(session.client, 'Cancel');
    await click(session.client, 'Add Partner Tenant');
    await submitUsername(session.client, GLOBEX_USER);
    assert.equal(session.client.view().error, 'A sign-in to Globex Corporation is already in progress.');
    assert.equal(session.signIns.length, 1);
  },
  'partner-refusal-remembered': async () => {
    const options: StubbedClientOptions = {
      defect: 'partner-refusal-remembered',
      lookupError: globexRefuses(),
    };
    const session = await startSession(options);
    await openAddTenant(session.client);
    await submitUsername(session.client, GLOBEX_USER);
    const refusal = session.client.view().error;
    assert.match(refusal ?? '', /does not allow partner logins/);
    delete options.lookupError;
    await click(session.client, 'Cancel');
    await click(session.client, 'Add Partner Tenant');
    await submitUsername(session.client, GLOBEX_USER);
    assert.equal(session.client.view().error, refusal);
    assert.equal(session.api.lookups.length, 1);
  },
  'reopen-shows-stale-zpa': async () => {
    const session = await startSession({ defect: 'reopen-shows-stale-zpa' });
    await addGlobex(session);
    await click(session.client, 'Close');
    await click(session.client, 'Private Access');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off', 'Globex Corporation: on']);
    await click(session.client, 'Turn On', 'Acme Corp');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: on', 'Globex Corporation: off']);
    await click(session.client, 'Close');
    await click(session.client, 'Private Access');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off', 'Globex Corporation: on']);
    assert.equal(session.api.tunnels.get('tenant-acme'), 'on');
  },
  'turn-off-ignored': async () => {
    const session = await startSession({ defect: 'turn-off-ignored' });
    await addGlobex(session);
    const calls = session.api.tunnelCalls().length;
    await click(session.client, 'Turn Off', 'Globex Corporation');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off', 'Globex Corporation: on']);
    assert.equal(session.api.tunnelCalls().length, calls);
  },
  'turn-on-main-not-requested': async () => {
    const session = await startSession({ defect: 'turn-on-main-not-requested' });
    await addGlobex(session);
    const calls = session.api.tunnelCalls().length;
    await click(session.client, 'Turn On', 'Acme Corp');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: on', 'Globex Corporation: off']);
    assert.equal(session.api.tunnelCalls().length, calls);
  },
  'enrolment-refusal-not-shown': async () => {
    const session = await startSession({
      defect: 'enrolment-refusal-not-shown',
      enrolPartnerError: globexRefuses(),
    });
    await openAddTenant(session.client);
    await submitUsername(session.client, GLOBEX_USER);
    const reply = await redirectBack(session.client.view(), { code: 'good' });
    assert.equal(reply.status, 400);
    assert.equal(session.client.view().window, 'authentication');
    assert.equal(session.client.view().error, undefined);
  },
  'callback-state-not-checked': () => skipsCheck('callback-state-not-checked'),
  'callback-iss-not-checked': () => skipsCheck('callback-iss-not-checked'),
  'token-error-not-shown': async () => {
    const session = await startSession({ defect: 'token-error-not-shown' });
    await openAddTenant(session.client);
    await submitUsername(session.client, GLOBEX_USER);
    await redirectBack(session.client.view(), { code: 'other-client' });
    assert.equal(session.client.view().window, 'private-access');
    assert.equal(session.client.view().error, undefined);
    // Other failures are still shown.
    await click(session.client, 'Add Partner Tenant');
    await submitUsername(session.client, GLOBEX_USER);
    await redirectBack(session.client.view(), { code: 'expired' });
    assert.match(session.client.view().error ?? '', /invalid_grant/);
  },
  'id-token-audience-not-checked': () => skipsCheck('id-token-audience-not-checked'),
  'id-token-nonce-not-checked': () => skipsCheck('id-token-nonce-not-checked'),
  'id-token-expiry-not-checked': () => skipsCheck('id-token-expiry-not-checked'),
  'id-token-refusal-not-shown': async () => {
    const session = await startSession({
      defect: 'id-token-refusal-not-shown',
      enrolPartnerError: idTokenRefused(),
    });
    await addGlobex(session);
    assert.equal(session.client.view().window, 'private-access');
    assert.equal(session.client.view().error, undefined);
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: on']);
  },
  'partner-added-after-restart-not-saved': async () => {
    const session = await startSession({ defect: 'partner-added-after-restart-not-saved' });
    await addGlobex(session);
    let client = await session.restart();
    await click(client, 'Private Access');
    await addPartner(session, INITECH_USER);
    assert.deepEqual(tenantStates(client.view()), [
      'Acme Corp: off',
      'Globex Corporation: off',
      'Initech: on',
    ]);
    client = await session.restart();
    await click(client, 'Private Access');
    // The partner added before the first restart is kept; the one added after it is lost.
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: off', 'Globex Corporation: off']);
  },
  'turn-on-main-after-restart-overlaps': async () => {
    const session = await startSession({ defect: 'turn-on-main-after-restart-overlaps' });
    await addGlobex(session);
    await click(session.client, 'Turn On', 'Acme Corp');
    // Before a restart, Turn On switches one tunnel off before the other on.
    assert.equal(session.api.mostTunnelsOnAtOnce, 1);
    await click(session.client, 'Turn On', 'Globex Corporation');
    const client = await session.restart();
    await click(client, 'Private Access');
    await click(client, 'Turn On', 'Acme Corp');
    assert.equal(session.api.mostTunnelsOnAtOnce, 2);
    assert.deepEqual(tenantStates(client.view()), ['Acme Corp: on', 'Globex Corporation: off']);
  },
  'second-partner-turn-off-ignored': async () => {
    const session = await startSession({ defect: 'second-partner-turn-off-ignored' });
    await addGlobex(session);
    await addPartner(session, INITECH_USER);
    await click(session.client, 'Turn Off', 'Initech');
    assert.deepEqual(tenantStates(session.client.view()), [
      'Acme Corp: off',
      'Globex Corporation: off',
      'Initech: on',
    ]);
    // The first partner's Turn Off works.
    await click(session.client, 'Turn On', 'Globex Corporation');
    await click(session.client, 'Turn Off', 'Globex Corporation');
    assert.deepEqual(tenantStates(session.client.view()), [
      'Acme Corp: off',
      'Globex Corporation: off',
      'Initech: off',
    ]);
  },
  'main-off-after-failed-sign-in': async () => {
    const session = await startSession({ defect: 'main-off-after-failed-sign-in' });
    await openAddTenant(session.client);
    await submitUsername(session.client, GLOBEX_USER);
    await click(session.client, 'Cancel');
    assert.equal(session.client.view().error, 'Sign-in to Globex Corporation was cancelled.');
    assert.deepEqual(tenantStates(session.client.view()), ['Acme Corp: off']);
    assert.deepEqual(session.api.tunnelCalls(), ['PUT tenant-acme on', 'PUT tenant-acme off']);
  },
};

describe('defects', () => {
  it('are exactly the named ones, each with a requirement and a description', () => {
    assert.deepEqual(
      DEFECTS.map((defect) => defect.name),
      Object.keys(defectChecks),
    );
    for (const defect of DEFECTS) {
      assert.match(defect.requirement, /^[A-Z]+(-[A-Z]+)*$/, defect.name);
      assert.ok(defect.description.endsWith('.'), defect.name);
    }
  });

  for (const defect of DEFECTS) {
    it(`${defect.name} breaks ${defect.requirement}`, () => defectChecks[defect.name as DefectName]());
  }

  it('the defects that are not about it leave the plain username flow of Windows 4.7 alone', async () => {
    const leaveFlowAlone: DefectName[] = [
      'add-partner-link-ignores-org-setting',
      'partner-refusal-not-shown',
      'profile-allow-setting-ignored',
      'partner-domain-not-enforced',
      'no-domain-shown-as-mismatch',
      'legacy-client-applies-profile-setting',
      'zia-only-refuses-partner-login',
      'zia-only-partner-info-missing',
      'zia-only-partner-zpa-off',
      'selection-without-connect',
      'selection-skips-username',
      'connect-uses-first-option',
      'macos-offers-selection',
    ];
    const expected = await plainFlowTranscript();
    for (const defect of leaveFlowAlone) {
      assert.deepEqual(await plainFlowTranscript(defect), expected, defect);
    }
  });
});

/** Views and API calls of: open, add Globex, Turn On Acme, Turn On Globex, Close, reopen, restart. */
async function plainFlowTranscript(defect?: DefectName): Promise<unknown[]> {
  const session = await startSession(defect === undefined ? {} : { defect });
  const transcript: unknown[] = [];
  const record = () => transcript.push(session.client.view());
  await click(session.client, 'Private Access');
  record();
  await click(session.client, 'Add Partner Tenant');
  record();
  await submitUsername(session.client, GLOBEX_USER);
  transcript.push({ ...session.client.view(), authorizationUrl: 'ignored' });
  await redirectBack(session.client.view(), { code: 'good' });
  record();
  await click(session.client, 'Turn On', 'Acme Corp');
  record();
  await click(session.client, 'Turn On', 'Globex Corporation');
  record();
  await click(session.client, 'Close');
  await click(session.client, 'Private Access');
  record();
  await session.restart();
  await click(session.client, 'Private Access');
  record();
  transcript.push(session.api.calls, session.api.lookups);
  return transcript;
}

describe('in-process driver', () => {
  it('waits for the view an action leads to, and ends the wait once the client is idle', async () => {
    const driver = new InProcessDriver({ policyApi: () => new StubPolicyApi({}), signIn: stubSignIn([]) });
    await driver.start({
      platform: 'windows',
      clientVersion: '4.7',
      policyApiUrl: 'http://policy.test',
      username: 'alex@acme.example',
    });
    try {
      assert.equal(
        (await driver.waitForView((view) => view.window === 'main', { description: 'main' })).window,
        'main',
      );
      void driver.act({ type: 'click', control: 'Private Access' });
      void driver.act({ type: 'click', control: 'Add Partner Tenant' });
      const reached = await driver.waitForView((view) => view.window === 'add-tenant', {
        description: 'the Add Tenant window',
      });
      assert.equal(reached.title, 'Add Tenant');
      await assert.rejects(
        driver.waitForView((view) => view.window === 'authentication', {
          description: 'the sign-in',
          timeoutMs: 60_000,
        }),
        {
          message:
            'the client is idle without showing the sign-in; the Add Tenant window; controls: Submit, Cancel; fields: Username',
        },
      );
      await driver.act({ type: 'click', control: 'Cancel' });
      await driver.restart();
      assert.equal((await driver.view()).window, 'main');
      const { log } = await driver.evidence();
      assert.ok(log.includes('action: click "Add Partner Tenant"'));
      assert.ok(log.includes('state: window "Add Tenant"'));
    } finally {
      await driver.stop();
    }
  });

  it('createDriver knows the clients it can drive and names them otherwise', async () => {
    assert.equal((await createDriver('reference')).name, 'reference');
    await assert.rejects(() => createDriver('ui'), /the "ui" client needs a browser context/);
    await assert.rejects(
      () => createDriver('netscape'),
      /unknown client "netscape"; expected one of reference, ui, ui:URL/,
    );
    await assert.rejects(
      () => createDriver('ui:http://example.com/'),
      /ui:URL takes an http\(s\) URL on this machine/,
    );
    await assert.rejects(() => createDriver('module:'), /module:PATH takes the path of a driver module/);
  });
});

describe('with the real identity providers and policy API', () => {
  it('adds a partner tenant with a username, Windows 4.7', async (t) => {
    const fixtures = await loadFixtures(new URL('../fixtures', import.meta.url).pathname);
    const idps: RunningIdentityProvider[] = await Promise.all(
      fixtures.organisations.map((organisation) => startIdentityProvider({ organisation })),
    );
    t.after(() => Promise.all(idps.map((idp) => idp.close())));
    const state = createPolicyState(
      fixtures,
      new Map(
        idps.map((idp) => [
          idp.organisation.id,
          { issuer: idp.issuer, clientId: idp.clientId, jwks: idp.jwks },
        ]),
      ),
    );
    const policyApi = await servePolicyApi(createPolicyHandlers(state));
    t.after(() => policyApi.close());
    const driver = await createDriver('reference');
    await driver.start({
      platform: 'windows',
      clientVersion: '4.7',
      policyApiUrl: policyApi.url,
      username: 'alice@acme.example',
    });
    t.after(() => driver.stop());

    await driver.act({ type: 'click', control: 'Private Access' });
    await driver.act({ type: 'click', control: 'Add Partner Tenant' });
    await driver.act({ type: 'fill', field: 'Username', value: 'alice@globex.example' });
    await driver.act({ type: 'click', control: 'Submit' });
    const signIn = await driver.view();
    assert.equal(signIn.title, 'Sign In - Globex Corporation');
    const globex = idps.find((idp) => idp.organisation.id === 'globex');
    assert.ok(
      signIn.authorizationUrl?.startsWith(`${globex?.issuer}/v1/authorize?`),
      signIn.authorizationUrl,
    );

    const agent = new HttpUserAgent();
    t.after(() => agent.close());
    const page = await agent.open(signIn.authorizationUrl ?? '');
    assert.equal(page.organisation, 'Globex Corporation');
    const result = await agent.signIn({ username: 'alice@globex.example', password: 'Globex-Test-Pass-1' });
    assert.equal(result.kind, 'redirected');
    assert.equal(result.kind === 'redirected' && result.status, 200);

    const view = await driver.view();
    assert.equal(view.window, 'private-access');
    assert.equal(view.error, undefined);
    assert.deepEqual(tenantStates(view), ['Acme Corp: off', 'Globex Corporation: on']);
    assert.deepEqual(
      state.tunnelLog.map((entry) => `${entry.tenantId} ${entry.state} -> [${entry.active.join(', ')}]`),
      ['tenant-acme on -> [tenant-acme]', 'tenant-acme off -> []', 'tenant-globex on -> [tenant-globex]'],
    );
    assert.deepEqual(state.unhandled, []);
    const lookup = state.requests.find((request) => request.path.endsWith('/partner-tenants/lookup'));
    assert.deepEqual(lookup?.body, {
      username: 'alice@globex.example',
      primaryTenant: { domain: 'acme.example', cloud: 'zscalerthree.net' },
    });
  });
});

describe('the reference client facing a silent service', () => {
  it('gives up on a policy API that accepts the connection and never answers, within its timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const dataDir = await mkdtemp(join(tmpdir(), 'ccc-silent-'));
    dataDirs.push(dataDir);
    const started = Date.now();
    try {
      await assert.rejects(
        ReferenceClient.start({
          platform: 'windows',
          clientVersion: '4.7',
          policyApiUrl: `http://127.0.0.1:${port}`,
          username: 'alice@acme.example',
          dataDir,
        }),
        /the policy API could not be reached \(POST \/zcc\/api\/v1\/devices: .*(timeout|aborted)/i,
      );
      // Well before the harness's default --action-timeout of 10 s.
      assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
