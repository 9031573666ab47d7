/**
 * The browser user agent against the real mock identity provider in Chromium: it reads the Okta-like
 * page by role, signs in, follows the redirect to a loopback listener, and takes over the window a
 * client opened for the sign-in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type RunningIdentityProvider, startIdentityProvider } from '../mocks/idp/identity-provider.ts';
import { BrowserUserAgent } from '../src/agents/browser-user-agent.ts';
import { RedirectedToClientError } from '../src/agents/http-user-agent.ts';
import { launchChromium } from '../src/browser/chromium.ts';
import { identityProviderSettings } from '../src/fixtures/defaults.ts';
import type { Organisation } from '../src/fixtures/types.ts';
import {
  assertWrongPasswordThenRight,
  authorizationRequest,
  discover,
  type Listener,
  listen,
} from './support/oauth-client.ts';

const globex: Organisation = {
  id: 'globex',
  name: 'Globex Corporation',
  domain: 'globex.example',
  cloud: 'zscalerthree.net',
  services: { zpa: true, zia: true },
  partnerLogins: {
    allowPartnerLoginToThisTenant: { mode: 'all-tenants' },
    allowUsersToLoginToOtherTenants: false,
    restrictOldClientVersions: false,
  },
  appProfiles: [{ name: 'Default', partnerLogin: 'follow-global' }],
  users: [
    { username: 'hank@globex.example', password: 'correct horse', displayName: 'Hank Scorpio' },
    { username: 'frank@globex.example', password: 'battery staple', displayName: 'Frank Grimes' },
  ],
  identityProvider: identityProviderSettings(),
};
const hank = globex.users[0]!;

/** What the reference client's page does on entering the authentication window. */
async function openSignInWindow(page: Page, url: string): Promise<void> {
  await page.evaluate((href) => {
    const window = globalThis as unknown as { open(url: string, target: string, features: string): unknown };
    window.open(href, 'zcc-sign-in', 'popup,width=520,height=680');
  }, url);
}

describe('browser user agent (Chromium) on the mock identity provider', () => {
  let browser: Browser;
  let idp: RunningIdentityProvider;
  let callback: Listener;
  let config: client.Configuration;
  let launchMs = 0;

  before(async () => {
    const started = performance.now();
    browser = await launchChromium();
    launchMs = performance.now() - started;
    idp = await startIdentityProvider({ organisation: globex });
    callback = await listen();
    config = await discover(idp);
  });

  after(async () => {
    await browser?.close();
    await idp?.close();
    await callback?.close();
  });

  /** A fresh browser context (its own cookies) and an agent on it, closed after `body`. */
  async function withAgent(
    body: (agent: BrowserUserAgent, context: BrowserContext) => Promise<void>,
  ): Promise<void> {
    const context = await browser.newContext();
    const agent = new BrowserUserAgent({ context });
    try {
      await body(agent, context);
    } finally {
      await agent.close();
      await context.close();
    }
  }

  test('launches Chromium quickly', (t) => {
    t.diagnostic(`browser launch ${launchMs.toFixed(0)} ms`);
    assert.ok(launchMs < 5000, `launch took ${launchMs} ms`);
  });

  test('open() shows the sign-in page by role; the right password is delivered to the loopback listener', async (t) => {
    await withAgent(async (agent, context) => {
      const request = await authorizationRequest(config, callback.redirectUri);
      const started = performance.now();
      const page = await agent.open(request.url.href);
      assert.deepEqual(page, {
        url: page.url,
        origin: idp.origin,
        title: 'Globex Corporation - Sign In',
        organisation: 'Globex Corporation',
        fields: ['Username', 'Password'],
        controls: ['Sign In', 'Cancel'],
      });
      assert.match(page.url, /\/oauth2\/default\/interaction\/[\w-]+$/);
      assert.equal(context.pages().length, 1, 'no client window to adopt: the agent opened one page');

      const before = callback.received.length;
      const result = await agent.signIn({ username: hank.username, password: hank.password });
      t.diagnostic(`open + sign-in in Chromium ${(performance.now() - started).toFixed(0)} ms`);
      assert.ok(result.kind === 'redirected', JSON.stringify(result));
      assert.equal(result.status, 200);
      const delivered = new URL(result.url);
      assert.equal(`${delivered.origin}${delivered.pathname}`, callback.redirectUri);
      assert.deepEqual(
        callback.received.slice(before).map((url) => url.search),
        [delivered.search],
      );
      assert.equal(delivered.searchParams.get('state'), request.state);
      assert.ok(delivered.searchParams.get('code'));

      // The code is real: the token endpoint exchanges it for Hank's ID token.
      const tokens = await client.authorizationCodeGrant(config, delivered, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      });
      assert.equal(tokens.claims()?.sub, hank.username);
      await assert.rejects(agent.signIn(hank), /signIn: no identity-provider page is open/);

      // The browser keeps the session: another authorization goes straight back to the client.
      const again = await authorizationRequest(config, callback.redirectUri);
      await assert.rejects(agent.open(again.url.href), (error) => {
        assert.ok(error instanceof RedirectedToClientError, String(error));
        assert.equal(error.status, 200);
        assert.equal(new URL(error.url).searchParams.get('state'), again.state);
        return true;
      });
    });
  });

  test('a wrong password shows the page again with "Unable to sign in"; then the right one signs in', async () => {
    await withAgent(async (agent) => {
      const request = await authorizationRequest(config, callback.redirectUri);
      await assertWrongPasswordThenRight(agent, request, {
        config,
        origin: idp.origin,
        wrongUser: hank,
        right: globex.users[1]!,
      });
    });
  });

  test('Cancel sends access_denied back to the loopback listener', async () => {
    await withAgent(async (agent) => {
      const request = await authorizationRequest(config, callback.redirectUri);
      await agent.open(request.url.href);
      const result = await agent.cancel();
      assert.ok(result.kind === 'redirected', JSON.stringify(result));
      assert.equal(result.status, 200);
      const delivered = new URL(result.url);
      assert.equal(`${delivered.origin}${delivered.pathname}`, callback.redirectUri);
      assert.equal(delivered.searchParams.get('error'), 'access_denied');
      assert.equal(delivered.searchParams.get('state'), request.state);
      assert.equal(callback.received.at(-1)?.search, delivered.search);
    });
  });

  test('adopts the window the client opened with window.open, instead of opening its own', async () => {
    await withAgent(async (agent, context) => {
      const request = await authorizationRequest(config, callback.redirectUri);
      const clientPage = await context.newPage();
      const popupOpened = clientPage.waitForEvent('popup');
      await openSignInWindow(clientPage, request.url.href);
      const popup = await popupOpened;

      const page = await agent.open(request.url.href);
      assert.equal(agent.page, popup, 'the agent signs in in the popup');
      assert.equal(context.pages().length, 2, 'no third page');
      assert.equal(page.organisation, 'Globex Corporation');
      assert.equal(page.url, popup.url());

      const result = await agent.signIn({ username: hank.username, password: hank.password });
      assert.ok(result.kind === 'redirected', JSON.stringify(result));
      assert.equal(popup.url(), result.url, 'the popup itself went back to the client');
      assert.equal(new URL(result.url).searchParams.get('state'), request.state);
    });
  });

  test('adopts a window the client opens while the agent waits for it', async () => {
    await withAgent(async (agent, context) => {
      const request = await authorizationRequest(config, callback.redirectUri);
      const clientPage = await context.newPage();
      const popupOpened = clientPage.waitForEvent('popup');
      const opening = agent.open(request.url.href);
      await openSignInWindow(clientPage, request.url.href);
      const popup = await popupOpened;
      const page = await opening;
      assert.equal(agent.page, popup);
      assert.equal(context.pages().length, 2);
      assert.deepEqual(page.fields, ['Username', 'Password']);
    });
  });

  test('refuses to navigate anywhere but loopback, naming the URL', async () => {
    await withAgent(async (agent, context) => {
      await assert.rejects(
        agent.open('https://login.example.com/oauth2/v1/authorize'),
        /^Error: open\(https:\/\/login\.example\.com\/oauth2\/v1\/authorize\): refusing to navigate to https:\/\/login\.example\.com\/oauth2\/v1\/authorize; the agent only contacts http\(s\) on 127\.0\.0\.1, localhost or \[::1\]$/,
      );
      assert.equal(context.pages().length, 0);
      await assert.rejects(
        agent.cancel(),
        /^Error: cancel: no identity-provider page is open; call open\(url\) first$/,
      );
    });
  });
});
