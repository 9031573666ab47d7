/**
 * The reference client's web UI (client/ui/), driven in Chromium by role and accessible name as
 * docs/ui-contract.md lays down, against a reference client with a stub policy API and sign-in.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { ReferenceClient } from '../client/index.ts';
import { clientUiPage } from '../client/ui/page.ts';
import { serveClientUi } from '../client/ui/server.ts';
import { CLIENT_WINDOW } from '../src/browser/chromium.ts';
import type { ClientView } from '../src/drivers/types.ts';
import type { Platform } from '../src/fixtures/types.ts';
import {
  GLOBEX,
  GLOBEX_USER,
  INITECH,
  ownSetting,
  type StubbedClientOptions,
  StubPolicyApi,
  stubbedClient,
  stubSignIn,
} from './support/reference-client-stubs.ts';

const SCREENSHOTS = {
  windows: '/tmp/zcc-ui-windows-private-access.png',
  macos: '/tmp/zcc-ui-macos-private-access.png',
};
const SIGN_IN_PAGE = '<!doctype html><title>Sign In</title><h1>Partner identity provider</h1>';

let browser: Browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
});
after(() => browser?.close());

interface UiSession {
  client: ReferenceClient;
  api: StubPolicyApi;
  /** The client's log lines. */
  log: string[];
  url: string;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  problems: string[];
  /** The actions the client received, as it logs them. */
  actions(): string[];
}

/** A reference client with stub collaborators, its UI served, and a page showing it. */
async function startUi(t: TestContext, options: StubbedClientOptions = {}): Promise<UiSession> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ccc-ui-test-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const { api, log, start } = stubbedClient(options, dataDir);
  const platform = options.platform ?? 'windows';
  const clientVersion = options.version ?? '4.7';
  const client = await start();
  t.after(() => client.quit());
  const ui = await serveClientUi(client, { platform, clientVersion });
  t.after(() => ui.close());
  const context = await browser.newContext({ viewport: CLIENT_WINDOW });
  t.after(() => context.close());
  context.setDefaultTimeout(5_000);
  // The partner identity providers of the stub world: a plain page stands in for them.
  await context.route(/^http:\/\/idp\.[a-z]+\.test\//, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: SIGN_IN_PAGE }),
  );
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(ui.url);
  return {
    client,
    api,
    log,
    url: ui.url,
    context,
    page,
    problems,
    actions: () => log.filter((line) => line.startsWith('action: ')),
  };
}

const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name, exact: true });

/** Waits until the locator's text is exactly `text`. */
async function hasText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).waitFor();
  assert.equal((await locator.textContent())?.trim(), text);
}

/** Resolves once the client's view satisfies `predicate` (it pushes every change). */
function clientView(client: ReferenceClient, predicate: (view: ClientView) => boolean): Promise<ClientView> {
  const now = client.view();
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve) => {
    const unsubscribe = client.onChange((view) => {
      if (!predicate(view)) return;
      unsubscribe();
      resolve(view);
    });
  });
}

/** What the partner identity provider does after a good sign-in: redirect to the loopback listener. */
function callbackUrl(authorizationUrl: string): string {
  const authorization = new URL(authorizationUrl);
  const callback = new URL(authorization.searchParams.get('redirect_uri') ?? '');
  callback.searchParams.set('code', 'good');
  callback.searchParams.set('state', authorization.searchParams.get('state') ?? '');
  return callback.href;
}

/** Main window → Private Access → Add Partner Tenant, through the page. */
async function openAddTenant(page: Page): Promise<Locator> {
  await dialog(page, 'Zscaler Client Connector').getByRole('button', { name: 'Private Access' }).click();
  await dialog(page, 'Private Access').getByRole('link', { name: 'Add Partner Tenant' }).click();
  const addTenant = dialog(page, 'Add Tenant');
  await addTenant.waitFor();
  return addTenant;
}

/**
 * Types the username, clicks Submit, checks the sign-in window and its popup, and has the popup
 * follow the identity provider's redirect back to the client: Private Access shows the partner.
 */
async function addGlobex(session: UiSession): Promise<void> {
  const { page, context } = session;
  const addTenant = await openAddTenant(page);
  await addTenant.getByRole('textbox', { name: 'Username' }).pressSequentially(GLOBEX_USER);
  const popupOpened = context.waitForEvent('page');
  await addTenant.getByRole('button', { name: 'Submit' }).click();

  const signIn = dialog(page, 'Sign In - Globex Corporation');
  await signIn.waitFor();
  const authorizationUrl = session.client.view().authorizationUrl ?? '';
  assert.ok(authorizationUrl.startsWith(`${GLOBEX.idp.issuer}/v1/authorize?`), authorizationUrl);
  const link = signIn.getByRole('link', { name: 'Open the sign-in page' });
  assert.equal(await link.getAttribute('href'), authorizationUrl);
  assert.equal(await signIn.getByRole('button', { name: 'Cancel' }).count(), 1);

  const popup = await popupOpened;
  await popup.waitForURL(authorizationUrl);
  assert.equal(popup.url(), authorizationUrl);
  await popup.goto(callbackUrl(authorizationUrl));
  await popup.getByText('You are signed in to Globex Corporation. You can close this window.').waitFor();
  await popup.close();
  await dialog(page, 'Private Access').getByRole('listitem', { name: 'Globex Corporation' }).waitFor();
}

describe('the reference client web UI', () => {
  it('shows the main window, Private Access with the tenant, and adds a partner tenant through Submit', async (t) => {
    const session = await startUi(t);
    const { page, client } = session;

    const main = dialog(page, 'Zscaler Client Connector');
    await main.waitFor();
    assert.equal(await page.getByRole('dialog').count(), 1);
    // The window declares when it is processing an action (docs/ui-contract.md); at rest it is not.
    assert.equal(await main.getAttribute('aria-busy'), 'false');
    assert.equal(await main.getByRole('button', { name: 'Internet Security' }).count(), 1);
    await main.getByRole('button', { name: 'Private Access' }).click();

    const privateAccess = dialog(page, 'Private Access');
    await privateAccess.waitFor();
    assert.equal(await page.getByRole('dialog').count(), 1);
    const acme = privateAccess
      .getByRole('list', { name: 'Organization tenant' })
      .getByRole('listitem', { name: 'Acme Corp' });
    await hasText(acme.getByRole('status', { name: 'Service Status' }), 'ON');
    assert.match((await acme.textContent()) ?? '', /Username: alex@acme\.example/);
    assert.equal(await privateAccess.getByRole('list', { name: 'Partner tenants' }).count(), 0);
    assert.equal(await privateAccess.getByRole('button', { name: 'Close' }).count(), 1);

    await acme.getByRole('button', { name: 'Turn Off' }).click();
    await hasText(acme.getByRole('status', { name: 'Service Status' }), 'OFF');
    await acme.getByRole('button', { name: 'Turn On' }).click();
    await hasText(acme.getByRole('status', { name: 'Service Status' }), 'ON');
    assert.deepEqual(session.api.tunnelCalls(), [
      'PUT tenant-acme on',
      'PUT tenant-acme off',
      'PUT tenant-acme on',
    ]);
    await dialog(page, 'Private Access').getByRole('button', { name: 'Close' }).click();
    await main.waitFor();

    await addGlobex(session);
    // Every keystroke reached the client in order, and Submit after the last of them.
    const typed = session.actions().filter((line) => line.startsWith('action: fill'));
    assert.equal(typed.length, GLOBEX_USER.length);
    assert.equal(typed.at(-1), `action: fill "Username" with "${GLOBEX_USER}"`);
    assert.deepEqual(session.actions().slice(-2), [
      `action: fill "Username" with "${GLOBEX_USER}"`,
      'action: click "Submit"',
    ]);
    assert.deepEqual(
      session.api.lookups.map((lookup) => lookup.username),
      [GLOBEX_USER],
    );

    const done = dialog(page, 'Private Access');
    const partner = done
      .getByRole('list', { name: 'Partner tenants' })
      .getByRole('listitem', { name: 'Globex Corporation' });
    await hasText(partner.getByRole('status', { name: 'Service Status' }), 'ON');
    await hasText(acme.getByRole('status', { name: 'Service Status' }), 'OFF');
    assert.equal(await partner.getByRole('button', { name: 'Turn Off' }).count(), 1);
    assert.equal(await acme.getByRole('button', { name: 'Turn On' }).count(), 1);
    assert.equal(client.view().window, 'private-access');
    await page.screenshot({ path: SCREENSHOTS.windows });
    assert.deepEqual(session.problems, []);
  });

  it('keeps what is being typed while the window changes around the textbox, and shows errors as alerts', async (t) => {
    const session = await startUi(t);
    const { page, client } = session;
    const addTenant = await openAddTenant(page);
    const username = addTenant.getByRole('textbox', { name: 'Username' });
    assert.equal(await addTenant.locator('label', { hasText: 'Username' }).isVisible(), true);

    await addTenant.getByRole('button', { name: 'Submit' }).click();
    await hasText(addTenant.getByRole('alert'), 'Enter your username.');

    await username.pressSequentially('pat@nowhere');
    await clientView(client, () => session.actions().at(-1) === 'action: fill "Username" with "pat@nowhere"');
    // Another change to the window (an error) while the person is typing.
    await client.act({ type: 'click', control: 'Submit' });
    await hasText(addTenant.getByRole('alert'), 'Error 42029: the domain "nowhere" is not recognised');
    assert.equal(await username.inputValue(), 'pat@nowhere');
    assert.equal(await username.evaluate((element) => element === element.ownerDocument.activeElement), true);
    await username.press('End');
    await username.pressSequentially('.example');
    assert.equal(await username.inputValue(), 'pat@nowhere.example');

    await addTenant.getByRole('button', { name: 'Cancel' }).click();
    await dialog(page, 'Private Access').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.deepEqual(session.problems, []);
  });

  it('offers the partner tenants as radios and Connect on Windows 4.6 when the policy lists domains', async (t) => {
    const session = await startUi(t, { version: '4.6', policy: ownSetting(false, true, [GLOBEX, INITECH]) });
    const { page } = session;
    const addTenant = await openAddTenant(page);
    const choice = addTenant.getByRole('radiogroup', { name: 'Partner tenant' });
    assert.deepEqual(
      await choice
        .getByRole('radio')
        .evaluateAll((radios) => radios.map((radio) => radio.parentElement?.textContent)),
      ['Globex Corporation', 'Initech'],
    );
    assert.equal(await addTenant.getByRole('textbox').count(), 0);

    await addTenant.getByRole('button', { name: 'Connect' }).click();
    await hasText(addTenant.getByRole('alert'), 'Select a partner tenant.');
    await choice.getByRole('radio', { name: 'Globex Corporation' }).check();
    await clientView(
      session.client,
      () => session.actions().at(-1) === 'action: select "Globex Corporation"',
    );
    assert.equal(await choice.getByRole('radio', { name: 'Globex Corporation' }).isChecked(), true);
    await addTenant.getByRole('button', { name: 'Connect' }).click();

    const username = addTenant.getByRole('textbox', { name: 'Username' });
    await username.waitFor();
    assert.equal(await addTenant.getByRole('radiogroup').count(), 0);
    await username.fill('pat@initech.example');
    await addTenant.getByRole('button', { name: 'Submit' }).click();
    await hasText(
      addTenant.getByRole('alert'),
      "Error 42035: The username's domain does not match the selected partner tenant.",
    );
    assert.deepEqual(session.actions(), [
      'action: click "Private Access"',
      'action: click "Add Partner Tenant"',
      'action: click "Connect"',
      'action: select "Globex Corporation"',
      'action: click "Connect"',
      'action: fill "Username" with "pat@initech.example"',
      'action: click "Submit"',
    ]);
    assert.deepEqual(session.problems, []);
  });

  it('shows a ZIA-only organisation the partner tenant information as a note, and no tenant list', async (t) => {
    const session = await startUi(t, { zpa: false });
    const { page } = session;
    // A double click: the second click finds the Private Access window, which does not offer the
    // control, and the page does not send it (no 409, no console error).
    await dialog(page, 'Zscaler Client Connector').getByRole('button', { name: 'Private Access' }).dblclick();
    const privateAccess = dialog(page, 'Private Access');
    const note = privateAccess.getByRole('note');
    await note.waitFor();
    assert.match(
      (await note.textContent()) ?? '',
      /^Partner tenants let you access the private applications/,
    );
    assert.equal(await privateAccess.getByRole('list').count(), 0);
    assert.equal(await privateAccess.getByRole('link', { name: 'Add Partner Tenant' }).count(), 1);
    await session.client.settled();
    assert.deepEqual(session.actions(), ['action: click "Private Access"']);
    assert.deepEqual(session.problems, []);
  });

  it('puts the primary button left of Cancel on Windows and right of it on macOS', async (t) => {
    const boxes: Record<Platform, { submit: number; cancel: number }> = {
      windows: { submit: 0, cancel: 0 },
      macos: { submit: 0, cancel: 0 },
    };
    for (const platform of ['windows', 'macos'] as const) {
      const session = await startUi(t, { platform });
      const addTenant = await openAddTenant(session.page);
      const submit = await addTenant.getByRole('button', { name: 'Submit' }).boundingBox();
      const cancel = await addTenant.getByRole('button', { name: 'Cancel' }).boundingBox();
      assert.ok(submit && cancel);
      assert.equal(submit.y, cancel.y, `${platform}: Submit and Cancel on one row`);
      boxes[platform] = { submit: submit.x, cancel: cancel.x };
      const platformName = platform === 'windows' ? 'Windows' : 'macOS';
      assert.equal(await session.page.getByText(`${platformName} · 4.7`, { exact: true }).isVisible(), true);
      if (platform === 'macos') {
        await addTenant.getByRole('button', { name: 'Cancel' }).click();
        await dialog(session.page, 'Private Access').getByRole('button', { name: 'Close' }).click();
        await addGlobex(session);
        await session.page.screenshot({ path: SCREENSHOTS.macos });
      }
      assert.deepEqual(session.problems, []);
    }
    assert.ok(boxes.windows.submit < boxes.windows.cancel, 'Windows: Submit left of Cancel');
    assert.ok(boxes.macos.submit > boxes.macos.cancel, 'macOS: Submit right of Cancel');
  });
});

describe('the reference client web UI page', () => {
  it('carries the current window as data no view text can break out of', () => {
    const view: ClientView = {
      window: 'add-tenant',
      title: 'Add Tenant',
      tenants: [],
      controls: ['Submit', 'Cancel'],
      fields: ['Username'],
      options: [],
      info: [],
      error: '</script><script>alert(1)</script>',
    };
    const html = clientUiPage({ platform: 'windows', clientVersion: '4.7', initial: { serial: 7, view } });
    assert.equal(html.match(/<\/script>/g)?.length, 2, 'only the data block and the page script close');
    const data = /<script type="application\/json" id="initial-view" data-serial="7">(.*?)<\/script>/.exec(
      html,
    );
    assert.deepEqual(JSON.parse(data?.[1] ?? ''), view);
  });
});

describe('the reference client web UI server', () => {
  it('serves the view, streams changes, takes actions and refuses what is not offered', async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ccc-ui-test-'));
    t.after(() => rm(dataDir, { recursive: true, force: true }));
    const client = await ReferenceClient.start(
      {
        platform: 'macos',
        clientVersion: '4.7',
        policyApiUrl: 'http://policy.test',
        username: 'alex@acme.example',
        dataDir,
      },
      { policyApi: () => new StubPolicyApi({}), signIn: stubSignIn([]) },
    );
    t.after(() => client.quit());
    const ui = await serveClientUi(client, { platform: 'macos', clientVersion: '4.7' });
    assert.match(ui.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const post = (body: string, type = 'application/json') =>
      fetch(new URL('/actions', ui.url), { method: 'POST', headers: { 'content-type': type }, body });

    const page = await fetch(ui.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.match(html, /<footer class="build">macOS · 4\.7<\/footer>/);
    assert.doesNotMatch(html, /<(link|script)[^>]+(href|src)="(?!data:)/);
    // The window is in the page itself, so it shows without a round trip.
    const initial =
      /<script type="application\/json" id="initial-view" data-serial="(\d+)">(.*?)<\/script>/.exec(html);
    assert.ok(initial, 'the page carries the current window');
    assert.equal(initial[1], '0');
    assert.deepEqual(JSON.parse(initial[2] ?? ''), client.view());

    const current = await fetch(new URL('/view', ui.url));
    assert.deepEqual(await current.json(), client.view());
    assert.equal(current.headers.get('x-view-serial'), '0');

    const events = await fetch(new URL('/events', ui.url));
    assert.match(events.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.ok(events.body);
    const reader = events.body.pipeThrough(new TextDecoderStream()).getReader();
    const messages = readEvents(reader);
    assert.deepEqual((await messages.next()).value, { id: '0', title: 'Zscaler Client Connector' });

    const refused = await post(JSON.stringify({ type: 'click', control: 'Submit' }));
    assert.equal(refused.status, 409);
    assert.deepEqual(await refused.json(), {
      code: 'NOT_OFFERED',
      message:
        'no control "Submit" in the Zscaler Client Connector window (offered: Private Access, Internet Security)',
    });
    for (const [body, type] of [
      ['{"type":"click"', 'application/json'],
      ['{"type":"press","control":"Submit"}', 'application/json'],
      ['{"type":"click","control":"Private Access","tenant":7}', 'application/json'],
      ['{"type":"click","control":"Private Access"}', 'text/plain'],
    ] as const) {
      const response = await post(body, type);
      assert.equal(response.status, 400, body);
      assert.equal(((await response.json()) as { code: string }).code, 'BAD_REQUEST');
    }
    assert.equal(client.view().window, 'main');

    const accepted = await post(JSON.stringify({ type: 'click', control: 'Private Access' }));
    assert.equal(accepted.status, 204);
    assert.deepEqual((await messages.next()).value, { id: '1', title: 'Private Access' });
    assert.equal((await fetch(new URL('/view', ui.url))).headers.get('x-view-serial'), '1');
    assert.equal(client.view().window, 'private-access');

    assert.equal((await fetch(new URL('/nowhere', ui.url))).status, 404);
    assert.equal((await fetch(new URL('/actions', ui.url))).status, 405);
    const elsewhere = await post(JSON.stringify({ type: 'click', control: 'Close' }));
    assert.equal(elsewhere.status, 204);
    const foreign = await fetch(new URL('/actions', ui.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ type: 'click', control: 'Private Access' }),
    });
    assert.equal(foreign.status, 403);
    assert.equal(client.view().window, 'main');

    // close() ends the open event stream.
    await ui.close();
    assert.deepEqual((await messages.next()).value, { id: '2', title: 'Zscaler Client Connector' });
    assert.equal((await messages.next()).done, true);
  });
});

/** The views an event stream carries, one per message: its `id:` and the view's title. */
async function* readEvents(
  reader: ReadableStreamDefaultReader<string>,
): AsyncGenerator<{ id: string; title: string }> {
  let buffer = '';
  for (;;) {
    const separator = buffer.indexOf('\n\n');
    if (separator !== -1) {
      const message = buffer.slice(0, separator);
      buffer = buffer.slice(separator + 2);
      const field = (name: string) =>
        message
          .split('\n')
          .filter((line) => line.startsWith(`${name}: `))
          .map((line) => line.slice(name.length + 2))
          .join('\n');
      const data = field('data');
      if (data !== '') yield { id: field('id'), title: (JSON.parse(data) as ClientView).title };
      continue;
    }
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
  }
}
