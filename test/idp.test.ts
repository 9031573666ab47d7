import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { type RunningIdentityProvider, startIdentityProvider } from '../mocks/idp/identity-provider.ts';
import { HttpUserAgent, RedirectedToClientError } from '../src/agents/http-user-agent.ts';
import { identityProviderSettings } from '../src/fixtures/defaults.ts';
import type { Organisation } from '../src/fixtures/types.ts';
import {
  assertWrongPasswordThenRight,
  authorizationRequest,
  discover,
  type Listener,
  listen,
} from './support/oauth-client.ts';

function organisation(id: string, name: string): Organisation {
  return {
    id,
    name,
    domain: `${id}.example`,
    cloud: 'zscalerthree.net',
    services: { zpa: true, zia: true },
    partnerLogins: {
      allowPartnerLoginToThisTenant: { mode: 'all-tenants' },
      allowUsersToLoginToOtherTenants: false,
      restrictOldClientVersions: false,
    },
    appProfiles: [{ name: 'Default', partnerLogin: 'follow-global' }],
    users: [
      { username: `hank@${id}.example`, password: 'correct horse', displayName: 'Hank Scorpio' },
      { username: `frank@${id}.example`, password: 'battery staple', displayName: 'Frank Grimes' },
    ],
    identityProvider: identityProviderSettings(),
  };
}

const globex = organisation('globex', 'Globex Corporation');
const hank = globex.users[0]!;

/** The authorization endpoint's direct answer to a hand-built request (no user agent). */
async function authorize(idp: RunningIdentityProvider, params: Record<string, string>): Promise<Response> {
  const url = new URL(`${idp.issuer}/v1/authorize`);
  url.search = new URLSearchParams(params).toString();
  const response = await fetch(url, { redirect: 'manual' });
  await response.body?.cancel();
  return response;
}

describe('Okta-style identity provider', () => {
  let idp: RunningIdentityProvider;
  let callback: Listener;
  let config: client.Configuration;

  before(async () => {
    idp = await startIdentityProvider({ organisation: globex });
    callback = await listen();
    config = await discover(idp);
  });

  after(async () => {
    await idp.close();
    await callback.close();
  });

  test('serves an Okta discovery document on 127.0.0.1 with ES256 ID tokens', async () => {
    assert.match(idp.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(idp.issuer, `${idp.origin}/oauth2/default`);
    assert.equal(idp.clientId, 'zscaler-client-connector');
    assert.deepEqual(idp.organisation, { id: 'globex', name: 'Globex Corporation' });

    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const discovery = (await response.json()) as Record<string, unknown>;
    assert.equal(discovery.issuer, idp.issuer);
    assert.equal(discovery.authorization_endpoint, `${idp.issuer}/v1/authorize`);
    assert.equal(discovery.token_endpoint, `${idp.issuer}/v1/token`);
    assert.equal(discovery.jwks_uri, `${idp.issuer}/v1/keys`);
    assert.equal(discovery.userinfo_endpoint, `${idp.issuer}/v1/userinfo`);
    assert.equal(discovery.end_session_endpoint, `${idp.issuer}/v1/logout`);
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['ES256']);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(discovery.response_types_supported, ['code']);
    assert.deepEqual(discovery.scopes_supported, ['openid', 'profile', 'email']);
  });

  test('/v1/keys serves the public EC P-256 keys only', async () => {
    const response = await fetch(`${idp.issuer}/v1/keys`);
    assert.equal(response.status, 200);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    assert.equal(keys.length, 1);
    for (const key of keys) {
      assert.equal(key.kty, 'EC');
      assert.equal(key.crv, 'P-256');
      assert.equal(key.d, undefined);
    }
    assert.deepEqual(
      keys.map((key) => key.kid),
      idp.jwks.keys.map((key) => key.kid),
    );
    for (const key of idp.jwks.keys) assert.equal(key.d, undefined);
  });

  test('signs a user in through the sign-in page and issues a verifiable ID token', async () => {
    const request = await authorizationRequest(config, callback.redirectUri);
    const agent = new HttpUserAgent();
    try {
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

      const result = await agent.signIn({ username: hank.username, password: hank.password });
      assert.equal(result.kind, 'redirected');
      assert.ok(result.kind === 'redirected');
      assert.equal(result.status, 200);
      const delivered = new URL(result.url);
      assert.equal(`${delivered.origin}${delivered.pathname}`, callback.redirectUri);
      assert.deepEqual(
        callback.received.map((url) => url.search),
        [delivered.search],
      );
      assert.equal(delivered.searchParams.get('state'), request.state);
      assert.equal(delivered.searchParams.get('iss'), idp.issuer);

      const tokens = await client.authorizationCodeGrant(config, delivered, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      assert.ok(claims);
      assert.equal(claims.iss, idp.issuer);
      assert.equal(claims.aud, idp.clientId);
      assert.equal(claims.sub, hank.username);
      assert.equal(claims.nonce, request.nonce);
      assert.equal(claims.email, hank.username);
      assert.equal(claims.name, hank.displayName);

      assert.ok(tokens.id_token);
      const verified = await jwtVerify(tokens.id_token, createLocalJWKSet(idp.jwks), {
        issuer: idp.issuer,
        audience: idp.clientId,
        algorithms: ['ES256'],
      });
      assert.equal(verified.protectedHeader.alg, 'ES256');
      assert.equal(verified.protectedHeader.kid, idp.jwks.keys[0]?.kid);
      assert.equal(verified.payload.sub, hank.username);

      const userinfo = await client.fetchUserInfo(config, tokens.access_token, hank.username);
      assert.equal(userinfo.preferred_username, hank.username);
      assert.equal(userinfo.name, hank.displayName);

      // The session now exists: a second authorization goes straight back to the client.
      const again = await authorizationRequest(config, callback.redirectUri);
      await assert.rejects(agent.open(again.url.href), (error) => {
        assert.ok(error instanceof RedirectedToClientError);
        assert.equal(error.status, 200);
        assert.equal(new URL(error.url).searchParams.get('state'), again.state);
        assert.ok(new URL(error.url).searchParams.get('code'));
        return true;
      });

      // prompt=consent on top of the session is granted without a page, as for Okta's first-party apps.
      const consent = await authorizationRequest(config, callback.redirectUri, { prompt: 'consent' });
      await assert.rejects(agent.open(consent.url.href), (error) => {
        assert.ok(error instanceof RedirectedToClientError);
        assert.equal(new URL(error.url).searchParams.get('state'), consent.state);
        assert.ok(new URL(error.url).searchParams.get('code'));
        return true;
      });

      // prompt=login shows the sign-in page again even with a session.
      const relogin = await authorizationRequest(config, callback.redirectUri, { prompt: 'login' });
      assert.equal((await agent.open(relogin.url.href)).title, 'Globex Corporation - Sign In');
    } finally {
      await agent.close();
    }
  });

  test('a wrong password re-renders the page with "Unable to sign in", and the user can try again', async () => {
    const request = await authorizationRequest(config, callback.redirectUri);
    const agent = new HttpUserAgent();
    try {
      await assertWrongPasswordThenRight(agent, request, {
        config,
        origin: idp.origin,
        wrongUser: hank,
        right: globex.users[1]!,
      });
    } finally {
      await agent.close();
    }
  });

  test('Cancel sends access_denied back to the client', async () => {
    const request = await authorizationRequest(config, callback.redirectUri);
    const agent = new HttpUserAgent();
    try {
      await agent.open(request.url.href);
      const result = await agent.cancel();
      assert.ok(result.kind === 'redirected');
      assert.equal(result.status, 200);
      const delivered = new URL(result.url);
      assert.equal(`${delivered.origin}${delivered.pathname}`, callback.redirectUri);
      assert.equal(delivered.searchParams.get('error'), 'access_denied');
      assert.equal(delivered.searchParams.get('error_description'), 'The user cancelled the sign-in');
      assert.equal(delivered.searchParams.get('state'), request.state);
      await assert.rejects(agent.signIn(hank), /no identity-provider page is open/);
    } finally {
      await agent.close();
    }
  });

  test('refuses authorization requests without state, nonce or PKCE', async () => {
    const valid = {
      client_id: idp.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: callback.redirectUri,
      state: 'state-1',
      nonce: 'nonce-1',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    };
    const accepted = await authorize(idp, valid);
    assert.equal(accepted.status, 303);
    assert.match(accepted.headers.get('location') ?? '', /^\/oauth2\/default\/interaction\//);

    const cases: [string, (keyof typeof valid)[], RegExp][] = [
      ['state', ['state'], /state/],
      ['nonce', ['nonce'], /nonce/],
      ['PKCE', ['code_challenge', 'code_challenge_method'], /PKCE/],
    ];
    for (const [what, omitted, description] of cases) {
      const params: Record<string, string> = { ...valid };
      for (const name of omitted) delete params[name];
      const response = await authorize(idp, params);
      assert.equal(response.status, 303, what);
      const location = new URL(response.headers.get('location') ?? '');
      assert.equal(`${location.origin}${location.pathname}`, callback.redirectUri, what);
      assert.equal(location.searchParams.get('error'), 'invalid_request', what);
      assert.match(location.searchParams.get('error_description') ?? '', description, what);
    }
  });

  test('accepts any port on the 127.0.0.1 redirect URI, and no other redirect URI', async () => {
    const params = {
      client_id: idp.clientId,
      response_type: 'code',
      scope: 'openid',
      state: 's',
      nonce: 'n',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    };
    const loopback = await authorize(idp, {
      ...params,
      redirect_uri: 'http://127.0.0.1:54321/oauth/callback',
    });
    assert.equal(loopback.status, 303);
    assert.match(loopback.headers.get('location') ?? '', /^\/oauth2\/default\/interaction\//);

    const other = await authorize(idp, { ...params, redirect_uri: 'http://127.0.0.1:54321/elsewhere' });
    assert.equal(other.status, 400);
    assert.equal(other.headers.get('location'), null);
  });

  test('prefills the username from login_hint', async () => {
    const request = await authorizationRequest(config, callback.redirectUri, { login_hint: '"hank"&<co>' });
    const first = await fetch(request.url, { redirect: 'manual' });
    await first.body?.cancel();
    const cookie = first.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const page = await fetch(new URL(first.headers.get('location') ?? '', idp.origin), {
      headers: { cookie },
    });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /name="username" value="&quot;hank&quot;&amp;&lt;co&gt;"/);
  });
});

describe('several identity providers', () => {
  test('get their own ports and keys, and escape what they show', async () => {
    const odd = organisation('initech', 'Initech & <Sons> "Ltd"');
    const [first, second] = await Promise.all([
      startIdentityProvider({ organisation: globex }),
      startIdentityProvider({ organisation: odd, clientId: 'other-client' }),
    ]);
    const callback = await listen();
    const agent = new HttpUserAgent();
    try {
      assert.notEqual(first.origin, second.origin);
      assert.notEqual(first.jwks.keys[0]?.kid, second.jwks.keys[0]?.kid);
      assert.notEqual(first.jwks.keys[0]?.x, second.jwks.keys[0]?.x);
      assert.equal(second.clientId, 'other-client');

      const config = await client.discovery(
        new URL(second.issuer),
        second.clientId,
        undefined,
        client.None(),
        {
          execute: [client.allowInsecureRequests],
        },
      );
      const request = await authorizationRequest(config, callback.redirectUri);
      const page = await agent.open(request.url.href);
      assert.equal(page.organisation, 'Initech & <Sons> "Ltd"');
      assert.equal(page.title, 'Initech & <Sons> "Ltd" - Sign In');
    } finally {
      await agent.close();
      await callback.close();
      await first.close();
      await second.close();
    }
  });

  test('close() stops listening and drops kept-alive connections', async () => {
    const idp = await startIdentityProvider({ organisation: globex });
    const keptAlive = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    assert.equal(keptAlive.status, 200);
    await keptAlive.json();
    await idp.close();
    await assert.rejects(fetch(`${idp.issuer}/.well-known/openid-configuration`), TypeError);
  });
});

describe('HttpUserAgent', () => {
  test('refuses to follow a redirect to a non-loopback host', async () => {
    const redirector = await listen((_request, response) => {
      response.writeHead(302, { location: 'http://example.invalid/' });
      response.end();
    });
    const agent = new HttpUserAgent();
    try {
      await assert.rejects(
        agent.open(`${redirector.origin}/start`),
        /refusing to contact http:\/\/example\.invalid\//,
      );
      await assert.rejects(agent.open('https://example.invalid/authorize'), /refusing to contact/);
    } finally {
      await agent.close();
      await redirector.close();
    }
  });

  test('names the URL when a page is not HTML, or has no sign-in form', async () => {
    const server = await listen((request, response) => {
      if (request.url === '/json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<!DOCTYPE html><title>Nothing</title><h1>Nothing here</h1><a href="/json">Help</a>');
    });
    const agent = new HttpUserAgent();
    try {
      await assert.rejects(agent.signIn(hank), /signIn: no identity-provider page is open/);
      await assert.rejects(
        agent.open(`${server.origin}/json`),
        /\/json answered 200 with content type application\/json/,
      );
      const page = await agent.open(`${server.origin}/page`);
      assert.deepEqual(page, {
        url: `${server.origin}/page`,
        origin: server.origin,
        title: 'Nothing',
        organisation: 'Nothing here',
        fields: [],
        controls: ['Help'],
      });
      await assert.rejects(
        agent.signIn(hank),
        new RegExp(`signIn on ${server.origin}/page: no form with Username and Password fields`),
      );
      await assert.rejects(agent.cancel(), /no Cancel link \(controls: Help\)/);
    } finally {
      await agent.close();
      await server.close();
    }
  });

  test('times out a request that never answers', async () => {
    const silent = await listen(() => {});
    const agent = new HttpUserAgent({ timeoutMs: 50 });
    try {
      await assert.rejects(
        agent.open(`${silent.origin}/slow`),
        /GET http:\/\/127\.0\.0\.1:\d+\/slow timed out after 50 ms/,
      );
    } finally {
      await agent.close();
      await silent.close();
    }
  });
});
