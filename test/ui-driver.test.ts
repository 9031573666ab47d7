/**
 * The ui driver: its reading of aria snapshots (strings captured from real pages), and the driver in
 * Chromium against a small client that honours docs/ui-contract.md and nothing more - the proof that
 * it drives any such client - and against the reference client's own web UI.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { parseAriaSnapshot, textOf } from '../src/browser/aria-snapshot.ts';
import {
  BrowserUnavailableError,
  chromiumArgs,
  findChromium,
  launchChromium,
} from '../src/browser/chromium.ts';
import type { ClientView, SessionOptions } from '../src/drivers/types.ts';
import { ExternalUi, ReferenceClientUi, UiDriver } from '../src/drivers/ui.ts';
import { viewFromSnapshot } from '../src/drivers/ui-view.ts';
import { ViewNotShown } from '../src/drivers/view-not-shown.ts';
import { ClientActionError } from '../src/verdict.ts';
import { type ContractPage, emptyView, serveContractPage } from './support/contract-page.ts';
import { StubPolicyApi, stubSignIn } from './support/reference-client-stubs.ts';

// Captured from the reference client's web UI (client/ui/) in Chromium.
const SNAPSHOTS = {
  main: `- dialog "Zscaler Client Connector":
  - text: Zscaler Client Connector Zscaler Client Connector
  - navigation "Services":
    - button "Internet Security"
    - button "Private Access"
  - heading "Zscaler Client Connector" [level=2]
  - paragraph: Select Internet Security or Private Access to see the service's status.`,
  privateAccess: `- dialog "Private Access":
  - text: Private Access Zscaler Private Access
  - heading "Organization tenant" [level=2]
  - list "Organization tenant":
    - listitem "Acme Corp":
      - text: Acme Corp
      - button "Turn On"
      - text: "Service Status:"
      - status "Service Status": "OFF"
      - text: "Authentication Status: Authenticated Username: alex@acme.example"
  - heading "Partner tenants" [level=2]
  - list "Partner tenants":
    - listitem "Initech":
      - text: Initech
      - button "Turn Off"
      - text: "Service Status:"
      - status "Service Status": "ON"
      - text: "Authentication Status: Authenticated Username: pat@initech.example"
  - link "Add Partner Tenant":
    - /url: "#"
  - button "Close"`,
  privateAccessZiaOnly: `- dialog "Private Access":
  - text: Private Access Zscaler Private Access
  - note:
    - paragraph: Partner tenants let you access the private applications of a partner organisation. Add a partner tenant with the username the partner organisation gave you.
  - link "Add Partner Tenant":
    - /url: "#"
  - button "Close"`,
  addTenantSelection: `- dialog "Add Tenant":
  - text: Add Tenant
  - paragraph: Select the partner tenant to access.
  - text: Partner tenant
  - radiogroup "Partner tenant":
    - radio "Globex Corporation"
    - text: Globex Corporation
    - radio "Initech" [checked]
    - text: Initech
  - button "Connect"
  - button "Cancel"`,
  addTenantError: `- dialog "Add Tenant":
  - text: Add Tenant
  - paragraph: Enter your username for the partner tenant.
  - text: Username
  - textbox "Username": nobody@nowhere.example
  - alert:
    - paragraph: "Error 42029: the domain \\"nowhere.example\\" is not recognised"
  - button "Cancel"
  - button "Submit"`,
  authentication: `- dialog "Sign In - Globex Corporation":
  - text: Sign In - Globex Corporation
  - paragraph: Sign in to Globex Corporation in the window that opened.
  - paragraph: The Private Access window reappears once you have signed in.
  - paragraph:
    - link "Open the sign-in page":
      - /url: http://idp.globex.test/oauth2/default/v1/authorize?client_id=ccc&redirect_uri=http%3A%2F%2F127.0.0.1%3A44645%2Foauth%2Fcallback&state=state-1
  - button "Cancel"`,
  // Hand-made from Playwright's quoting rules: names with quotes and colons, YAML-looking text.
  quoting: `- 'dialog "Sign In - Globex: \\"Corp\\" #1 ''x'' [y]"':
  - list "Partner tenants":
    - 'listitem "He said \\"hi\\": yes"':
      - text: "He said \\"hi\\": yes"
      - status "Service Status": "OFF"
      - button "Turn On"
      - button "Remove" [disabled]
      - text: "Username: frank@globex.example"
    - listitem:
      - text: Plain-name
      - status "Service Status": "ON"
      - button "Turn Off"
  - radiogroup "Partner tenant":
    - 'radio "- dash: colon" [checked]'
    - radio "123"
    - radio "true"
  - textbox "Username": "typed: value"
  - textbox "Password"
  - note: Line one line two
  - note
  - alert
  - link "Open the sign-in page":
    - /url: /oauth2/v1/authorize?x=1&y=2
  - button "Adis" [disabled]
  - button "Close"`,
};

const view = (window: ClientView['window'], title: string, extra: Partial<ClientView>): ClientView => ({
  ...emptyView(window, title),
  ...extra,
});

describe('finding Chromium', () => {
  test('CHROMIUM_PATH first, then the headless shell, then the system chromium; loopback only', () => {
    const installed = (...files: string[]) => ({ exists: (file: string) => files.includes(file) });
    const both = installed('/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium');
    assert.equal(findChromium({ CHROMIUM_PATH: '/usr/bin/chromium' }, both), '/usr/bin/chromium');
    assert.equal(findChromium({ CHROMIUM_PATH: '/nowhere/chromium' }, both), undefined);
    assert.equal(findChromium({}, both), '/usr/lib/chromium/chromium-headless-shell');
    assert.equal(findChromium({}, { ...both, headless: false }), '/usr/bin/chromium');
    assert.equal(findChromium({}, installed('/usr/bin/chromium')), '/usr/bin/chromium');
    assert.ok(chromiumArgs().includes('--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'));
    assert.equal(
      new BrowserUnavailableError().message,
      "no Chromium found: install Debian's chromium-headless-shell or chromium (apt-get install chromium-headless-shell) or set CHROMIUM_PATH",
    );
  });
});

describe('reading aria snapshots', () => {
  test('parses roles, JSON-quoted names, states, texts and properties', () => {
    const [dialog] = parseAriaSnapshot(SNAPSHOTS.quoting);
    assert.ok(dialog);
    assert.equal(dialog.role, 'dialog');
    assert.equal(dialog.name, `Sign In - Globex: "Corp" #1 'x' [y]`);
    const [list, radiogroup, username] = dialog.children;
    assert.equal(list?.children[0]?.name, 'He said "hi": yes');
    assert.equal(list?.children[1]?.name, undefined);
    assert.deepEqual(
      radiogroup?.children.map((radio) => [radio.name, radio.attributes]),
      [
        ['- dash: colon', { checked: '' }],
        ['123', {}],
        ['true', {}],
      ],
    );
    assert.equal(username?.text, 'typed: value');
    const link = dialog.children.find((node) => node.role === 'link');
    assert.deepEqual(link?.props, { url: '/oauth2/v1/authorize?x=1&y=2' });
    const alert = dialog.children.find((node) => node.role === 'alert');
    assert.ok(alert && textOf(alert) === '');
  });

  test('rejects what is not an aria snapshot', () => {
    assert.throws(() => parseAriaSnapshot('- dialog "x":\n  - ]['), /AriaSnapshotError: .*not YAML/);
    assert.throws(() => parseAriaSnapshot('just: a map'), /not a list of nodes/);
    assert.throws(
      () => parseAriaSnapshot(`- '"quoted" dialog'`),
      /unreadable aria snapshot node ""quoted" dialog"/,
    );
    assert.deepEqual(parseAriaSnapshot(''), []);
  });

  test('every window of the reference client becomes its ClientView', () => {
    assert.deepEqual(
      viewFromSnapshot(SNAPSHOTS.main),
      view('main', 'Zscaler Client Connector', { controls: ['Internet Security', 'Private Access'] }),
    );
    assert.deepEqual(
      viewFromSnapshot(SNAPSHOTS.privateAccess),
      view('private-access', 'Private Access', {
        tenants: [
          {
            name: 'Acme Corp',
            role: 'main',
            zpa: 'off',
            controls: ['Turn On'],
            username: 'alex@acme.example',
          },
          {
            name: 'Initech',
            role: 'partner',
            zpa: 'on',
            controls: ['Turn Off'],
            username: 'pat@initech.example',
          },
        ],
        controls: ['Add Partner Tenant', 'Close'],
      }),
    );
    assert.deepEqual(
      viewFromSnapshot(SNAPSHOTS.privateAccessZiaOnly),
      view('private-access', 'Private Access', {
        controls: ['Add Partner Tenant', 'Close'],
        info: [
          'Partner tenants let you access the private applications of a partner organisation. Add a partner tenant with the username the partner organisation gave you.',
        ],
      }),
    );
    assert.deepEqual(
      viewFromSnapshot(SNAPSHOTS.addTenantSelection),
      view('add-tenant', 'Add Tenant', {
        controls: ['Connect', 'Cancel'],
        options: ['Globex Corporation', 'Initech'],
      }),
    );
    assert.deepEqual(
      viewFromSnapshot(SNAPSHOTS.addTenantError),
      view('add-tenant', 'Add Tenant', {
        controls: ['Cancel', 'Submit'],
        fields: ['Username'],
        error: 'Error 42029: the domain "nowhere.example" is not recognised',
      }),
    );
    assert.deepEqual(
      viewFromSnapshot(SNAPSHOTS.authentication),
      view('authentication', 'Sign In - Globex Corporation', {
        controls: ['Cancel'],
        authorizationUrl:
          'http://idp.globex.test/oauth2/default/v1/authorize?client_id=ccc&redirect_uri=http%3A%2F%2F127.0.0.1%3A44645%2Foauth%2Fcallback&state=state-1',
      }),
    );
  });

  test('names with quotes, unnamed list items, disabled controls, empty notes and relative links', () => {
    assert.deepEqual(
      viewFromSnapshot(SNAPSHOTS.quoting, 'http://127.0.0.1:9000/app/'),
      view('authentication', `Sign In - Globex: "Corp" #1 'x' [y]`, {
        tenants: [
          {
            name: 'He said "hi": yes',
            role: 'partner',
            zpa: 'off',
            controls: ['Turn On'],
            username: 'frank@globex.example',
          },
          { name: 'Plain-name', role: 'partner', zpa: 'on', controls: ['Turn Off'] },
        ],
        controls: ['Close'],
        fields: ['Username', 'Password'],
        options: ['- dash: colon', '123', 'true'],
        info: ['Line one line two'],
        authorizationUrl: 'http://127.0.0.1:9000/oauth2/v1/authorize?x=1&y=2',
      }),
    );
  });

  test('refuses a window the contract does not name, and a ZPA state that is neither ON nor OFF', () => {
    assert.throws(
      () => viewFromSnapshot('- dialog "Settings":\n  - button "Close"'),
      /^AriaSnapshotError: the open window "Settings" is none the UI contract names \(Zscaler Client Connector, Private Access, Add Tenant, Sign In - …\)$/,
    );
    assert.throws(() => viewFromSnapshot('- dialog:\n  - button "Close"'), /has no accessible name/);
    assert.throws(
      () => viewFromSnapshot('- dialog "Add Tenant"\n- dialog "Private Access"'),
      /expected one dialog \(the open window\), found dialog, dialog/,
    );
    assert.throws(
      () =>
        viewFromSnapshot(
          '- dialog "Private Access":\n  - list "Organization tenant":\n    - listitem "Acme":\n      - status "Service Status": Connecting',
        ),
      /tenant "Acme": Service Status is "Connecting", not ON or OFF/,
    );
  });
});

const SESSION: SessionOptions = {
  platform: 'windows',
  clientVersion: '4.7',
  policyApiUrl: 'http://127.0.0.1:9',
  username: 'alex@acme.example',
};

const MAIN = view('main', 'Zscaler Client Connector', { controls: ['Private Access', 'Internet Security'] });
const PRIVATE_ACCESS = view('private-access', 'Private Access', {
  tenants: [
    { name: 'Acme Corp', role: 'main', zpa: 'on', controls: ['Turn Off'], username: 'alex@acme.example' },
    {
      name: 'Globex Corporation',
      role: 'partner',
      zpa: 'off',
      controls: ['Turn On'],
      username: 'pat@globex.example',
    },
    { name: 'Initech', role: 'partner', zpa: 'off', controls: ['Turn On'] },
  ],
  controls: ['Add Partner Tenant', 'Close'],
  info: ['Partner tenants let you access the private applications of a partner organisation.'],
});
const SELECTION = view('add-tenant', 'Add Tenant', {
  controls: ['Connect', 'Cancel'],
  options: ['Globex Corporation', 'Initech'],
});
const USERNAME_FORM = view('add-tenant', 'Add Tenant', {
  controls: ['Submit', 'Cancel'],
  fields: ['Username'],
  error: 'Error 42029: the domain "nowhere.example" is not recognised',
});

describe('the ui driver in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let contract: ContractPage;
  let driver: UiDriver;
  let launchMs = 0;

  before(async () => {
    const started = performance.now();
    browser = await launchChromium();
    launchMs = performance.now() - started;
    context = await browser.newContext();
    contract = await serveContractPage(MAIN);
    driver = new UiDriver({ context, app: new ExternalUi(contract.url) });
    await driver.start(SESSION);
  });

  after(async () => {
    await driver?.stop();
    await context?.close();
    await browser?.close();
    await contract?.close();
  });

  /** Shows `shown` in the contract client and waits until the driver reads it. */
  async function show(shown: ClientView): Promise<ClientView> {
    contract.show(shown);
    return driver.waitForView((v) => v.title === shown.title && v.window === shown.window, {
      description: `the ${shown.title} window`,
    });
  }

  test('reads every window kind of a contract-following client back as the view it renders', async (t) => {
    t.diagnostic(`browser launch ${launchMs.toFixed(0)} ms`);
    const started = performance.now();
    assert.deepEqual(await driver.view(), MAIN);
    t.diagnostic(`view() read ${(performance.now() - started).toFixed(0)} ms`);

    assert.deepEqual(await show(PRIVATE_ACCESS), PRIVATE_ACCESS);
    assert.deepEqual(await show(SELECTION), SELECTION);
    assert.deepEqual(await show(USERNAME_FORM), USERNAME_FORM);
    const authentication = view('authentication', 'Sign In - Globex Corporation', {
      controls: ['Cancel'],
      authorizationUrl: 'http://127.0.0.1:9/oauth2/default/v1/authorize?client_id=ccc&state=s1',
    });
    assert.deepEqual(await show(authentication), authentication);
  });

  test('acts by role and name, and the client receives the actions', async () => {
    await show(PRIVATE_ACCESS);
    contract.onAction = (action) => {
      if (action.type === 'click' && action.tenant === 'Globex Corporation') {
        return {
          ...PRIVATE_ACCESS,
          tenants: PRIVATE_ACCESS.tenants.map((tenant) =>
            tenant.name === 'Globex Corporation' ? { ...tenant, zpa: 'on', controls: ['Turn Off'] } : tenant,
          ),
        };
      }
      if (action.type === 'click' && action.control === 'Add Partner Tenant') return SELECTION;
      if (action.type === 'click' && action.control === 'Connect') return USERNAME_FORM;
      return undefined;
    };
    const before = contract.actions.length;
    // A tenant's list item without an accessible name is found by its text.
    await driver.act({ type: 'click', control: 'Turn On', tenant: 'Globex Corporation' });
    assert.deepEqual(
      (await driver.view()).tenants.map((tenant) => `${tenant.name} ${tenant.zpa}`),
      ['Acme Corp on', 'Globex Corporation on', 'Initech off'],
    );
    await driver.act({ type: 'click', control: 'Add Partner Tenant' });
    assert.equal((await driver.view()).title, 'Add Tenant');
    await driver.act({ type: 'select', option: 'Initech' });
    await driver.act({ type: 'click', control: 'Connect' });
    await driver.act({ type: 'fill', field: 'Username', value: 'pat@initech.example' });
    assert.deepEqual(contract.actions.slice(before), [
      { type: 'click', control: 'Turn On', tenant: 'Globex Corporation' },
      { type: 'click', control: 'Add Partner Tenant' },
      { type: 'select', option: 'Initech' },
      { type: 'click', control: 'Connect' },
      { type: 'fill', field: 'Username', value: 'pat@initech.example' },
    ]);
    contract.onAction = () => undefined;
  });

  test('refuses what the open window does not offer, naming the window and what it offers', async () => {
    await show(PRIVATE_ACCESS);
    const refused = async (action: Parameters<UiDriver['act']>[0], message: string) => {
      await assert.rejects(driver.act(action), (error) => {
        assert.ok(error instanceof ClientActionError, String(error));
        assert.equal(error.message, message);
        return true;
      });
    };
    await refused(
      { type: 'click', control: 'Submit' },
      'the Private Access window offers no control "Submit" (controls: Add Partner Tenant, Close)',
    );
    // A disabled control and a hidden one are not offered; a tenant's control is not the window's.
    await refused(
      { type: 'click', control: 'Help' },
      'the Private Access window offers no control "Help" (controls: Add Partner Tenant, Close)',
    );
    await refused(
      { type: 'click', control: 'Secret' },
      'the Private Access window offers no control "Secret" (controls: Add Partner Tenant, Close)',
    );
    await refused(
      { type: 'click', control: 'Turn Off' },
      'the Private Access window offers no control "Turn Off" (controls: Add Partner Tenant, Close)',
    );
    await refused(
      { type: 'click', control: 'Turn On', tenant: 'Umbrella' },
      'the Private Access window lists no tenant "Umbrella" (tenants: Acme Corp, Globex Corporation, Initech)',
    );
    await refused(
      { type: 'click', control: 'Turn On', tenant: 'Acme Corp' },
      'the Private Access window: the tenant "Acme Corp" offers no control "Turn On" (its controls: Turn Off)',
    );
    await refused(
      { type: 'fill', field: 'Username', value: 'x' },
      'the Private Access window offers no field "Username" (fields: none)',
    );
    await refused(
      { type: 'select', option: 'Initech' },
      'the Private Access window offers no option "Initech" (options: none)',
    );
  });

  /**
   * Clicks Private Access on `on` while the client holds its answer back: act() must still be waiting
   * when the client has the action, and end once the answer is shown.
   */
  async function assertActAwaitsTheAnswer(on: UiDriver, why: string): Promise<void> {
    let release = () => {};
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    contract.onAction = async () => {
      await answered;
      return PRIVATE_ACCESS;
    };
    try {
      let acted = false;
      const before = contract.actions.length;
      const acting = on.act({ type: 'click', control: 'Private Access' }).then(() => {
        acted = true;
      });
      await contract.actionReceived(before + 1);
      assert.equal(acted, false, why);
      release();
      await acting;
      assert.equal((await on.view()).title, 'Private Access');
    } finally {
      contract.onAction = () => undefined;
    }
  }

  test('an action ends only once the client has answered it', async () => {
    await show(MAIN);
    await assertActAwaitsTheAnswer(driver, 'act() must wait while the action request is in flight');
  });

  test('a window that declares aria-busy is done when it is no longer busy, however lively the page', {
    timeout: 30_000,
  }, async () => {
    // With the quiet-window wait, a page that never stops changing would hold every action until
    // the action timeout (a minute here, past this test's timeout): aria-busy ends it at once.
    const lively = new UiDriver({ context, app: new ExternalUi(contract.busyUrl), actionTimeoutMs: 60_000 });
    await lively.start(SESSION);
    try {
      contract.show(MAIN);
      await lively.waitForView((v) => v.window === 'main', { description: 'the main window' });
      await lively.page?.evaluate(
        'setInterval(() => { document.body.dataset.tick = String(Date.now()); }, 5)',
      );
      await assertActAwaitsTheAnswer(lively, 'act() must wait while the window is aria-busy');
    } finally {
      await lively.stop();
    }
  });

  test('waitForView sees a change the client makes later, by itself', async () => {
    await show(MAIN);
    const before = contract.actions.length;
    // The click changes nothing at once; the window opens when the client gets round to it.
    await driver.act({ type: 'click', control: 'Private Access' });
    assert.equal(contract.actions.length, before + 1);
    assert.equal((await driver.view()).title, 'Zscaler Client Connector');
    const waiting = driver.waitForView((v) => v.window === 'private-access' && v.tenants.length === 3, {
      description: 'the Private Access window',
    });
    contract.show(PRIVATE_ACCESS);
    assert.deepEqual(await waiting, PRIVATE_ACCESS);
  });

  test('waitForView times out naming what it waited for and what the window shows', async () => {
    await show(USERNAME_FORM);
    const started = performance.now();
    await assert.rejects(
      driver.waitForView((v) => v.window === 'authentication', {
        description: 'the authentication window',
        timeoutMs: 300,
      }),
      (error) => {
        assert.ok(error instanceof ViewNotShown);
        assert.equal(error.view?.window, 'add-tenant');
        assert.equal(
          error.message,
          'timed out after 300ms without showing the authentication window; the Add Tenant window; ' +
            'controls: Submit, Cancel; fields: Username; error: "Error 42029: the domain "nowhere.example" is not recognised"',
        );
        return true;
      },
    );
    assert.ok(performance.now() - started < 2000);
  });

  test('restart reloads an external client; screenshots are PNGs; evidence is the application log', async () => {
    await show(SELECTION);
    await driver.restart();
    assert.deepEqual(await driver.view(), SELECTION);
    const png = await driver.screenshot();
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
    // Screenshots are reused while the page reports no DOM change; a changed window is captured anew.
    await show(PRIVATE_ACCESS);
    assert.notDeepEqual(await driver.screenshot(), png);
    assert.deepEqual((await driver.evidence()).log, [
      `start: the web client at ${contract.url} (windows 4.7)`,
      `restart: reloading ${contract.url}`,
    ]);
  });
});

describe('the ui driver on the reference client web UI', () => {
  test('starts the client and its UI, acts, restarts keeping the data, and stops', async () => {
    const browser = await launchChromium();
    const context = await browser.newContext();
    const api = new StubPolicyApi({});
    const driver = new UiDriver({
      context,
      app: new ReferenceClientUi({ policyApi: () => api, signIn: stubSignIn([]) }),
    });
    try {
      await driver.start({ ...SESSION, policyApiUrl: 'http://policy.test' });
      assert.deepEqual(await driver.view(), {
        ...MAIN,
        controls: ['Internet Security', 'Private Access'],
      });
      await driver.act({ type: 'click', control: 'Private Access' });
      await driver.act({ type: 'click', control: 'Turn Off', tenant: 'Acme Corp' });
      const off = await driver.view();
      assert.deepEqual(
        off.tenants.map((tenant) => [tenant.name, tenant.zpa, tenant.controls, tenant.username]),
        [['Acme Corp', 'off', ['Turn On'], 'alex@acme.example']],
      );
      const firstUrl = driver.page?.url();
      await driver.restart();
      assert.notEqual(driver.page?.url(), firstUrl, 'the restarted client serves its UI anew');
      assert.equal((await driver.view()).window, 'main');
      await driver.act({ type: 'click', control: 'Private Access' });
      assert.equal((await driver.view()).tenants[0]?.zpa, 'off', 'the tunnel state survived the restart');
      const { log } = await driver.evidence();
      assert.ok(
        log.some((line) => line.startsWith('action: click "Turn Off"')),
        log.join('\n'),
      );
      assert.ok(log.includes('quit'));
      assert.ok(api.calls.includes('GET /devices/current device-token-1'));
    } finally {
      await driver.stop();
      await context.close();
      await browser.close();
    }
    assert.equal(driver.page, undefined);
  });
});

describe('the reference client web UI as the ui driver starts it', () => {
  test('a stop that comes while it starts (an interrupted run) closes the server the start opens', async () => {
    const ui = new ReferenceClientUi({ policyApi: () => new StubPolicyApi({}), signIn: stubSignIn([]) });
    const starting = ui.start(SESSION);
    try {
      await ui.stop();
      await assert.rejects(fetch(await starting), /fetch failed/);
    } finally {
      // Were it left listening, this stop closes it, so that a failure does not hang the test process.
      await ui.stop();
    }
  });
});
