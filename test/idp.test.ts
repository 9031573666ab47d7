import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, type JWK, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { type RunningIdentityProvider, startIdentityProvider } from '../mocks/idp/identity-provider.ts';
import { attackerCode, sendCallback } from '../src/agents/attacker.ts';
import { HttpUserAgent, RedirectedToClientError } from '../src/agents/http-user-agent.ts';
import { DEFAULT_IDENTITY_PROVIDER, identityProviderSettings } from '../src/fixtures/defaults.ts';
import type { IdentityProviderSettings, Organisation } from '../src/fixtures/types.ts';
import {
  type AuthorizationRequest,
  assertWrongPasswordThenRight,
  authorizationRequest,
  discover,
  type Listener,
  listen,
} from './support/oauth-client.ts';

function organisation(
  id: string,
  name: string,
  settings: Partial<IdentityProviderSettings> = {},
): Organisation {
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
    identityProvider: identityProviderSettings(settings),
  };
}

const globex = organisation('globex', 'Globex Corporation');
const hank = globex.users[0]!;

function authorizationUrl(idp: RunningIdentityProvider, params: Record<string, string>): URL {
  const url = new URL(`${idp.issuer}/v1/authorize`);
  url.search = new URLSearchParams(params).toString();
  return url;
}

/** The authorization endpoint's direct answer to a hand-built request (no user agent). */
async function authorize(idp: RunningIdentityProvider, params: Record<string, string>): Promise<Response> {
  const response = await fetch(authorizationUrl(idp, params), { redirect: 'manual' });
  await response.body?.cancel();
  return response;
}

/** An authorization request as a native client hand-builds it: every parameter the IdP requires. */
function handBuilt(idp: RunningIdentityProvider, redirectUri: string): Record<string, string> {
  return {
    client_id: idp.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri,
    state: 'state-1',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  };
}

/** The location of a 303 from the authorization endpoint: the sign-in page (an interaction). */
function assertSignInPageNext(response: Response, what: string): void {
  assert.equal(response.status, 303, what);
  assert.match(response.headers.get('location') ?? '', /^\/oauth2\/default\/interaction\//, what);
}

/** The IdP's own error page: 400, no redirect to the client, the error code shown. */
async function assertErrorPage(
  idp: RunningIdentityProvider,
  params: Record<string, string>,
  error: string,
): Promise<void> {
  const response = await fetch(authorizationUrl(idp, params), { redirect: 'manual' });
  const what = `${params.client_id} ${params.redirect_uri}`;
  assert.equal(response.status, 400, what);
  assert.equal(response.headers.get('location'), null, what);
  assert.match(await response.text(), new RegExp(`<p class="error-code">${error}</p>`), what);
}

/** Hank signs in on the page the request opens; the redirect the agent delivered to the client. */
async function signIn(request: AuthorizationRequest): Promise<URL> {
  const agent = new HttpUserAgent();
  try {
    await agent.open(request.url.href);
    const result = await agent.signIn(hank);
    assert.ok(result.kind === 'redirected', JSON.stringify(result));
    return new URL(result.url);
  } finally {
    await agent.close();
  }
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

  /** The client's token request for `code`, with `changes` to its form. */
  const redeem = (code: string, verifier: string, changes: Record<string, string> = {}) =>
    fetch(`${idp.issuer}/v1/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: callback.redirectUri,
        client_id: idp.clientId,
        code_verifier: verifier,
        ...changes,
      }),
    });

  test('serves an Okta discovery document on 127.0.0.1 with RS256 ID tokens', async () => {
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
    assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(discovery.response_types_supported, ['code']);
    assert.deepEqual(discovery.scopes_supported, ['openid', 'profile', 'email']);
  });

  test('/v1/keys serves the public half of one RSA 2048 key for RS256 only', async () => {
    const response = await fetch(`${idp.issuer}/v1/keys`);
    assert.equal(response.status, 200);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    assert.equal(keys.length, 1);
    for (const key of keys) {
      assert.equal(key.kty, 'RSA');
      assert.equal(key.alg, 'RS256');
      assert.equal(key.use, 'sig');
      assert.equal(Buffer.from(String(key.n), 'base64url').length * 8, 2048);
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key[secret], undefined, secret);
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
        algorithms: ['RS256'],
      });
      assert.equal(verified.protectedHeader.alg, 'RS256');
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

  test('signs in without a nonce (OIDC Core §3.1.2.1): the code redeems, the ID token has no nonce', async () => {
    const request = await authorizationRequest(config, callback.redirectUri);
    request.url.searchParams.delete('nonce');
    const delivered = await signIn(request);
    assert.equal(delivered.searchParams.get('state'), request.state);
    // No expectedNonce: openid-client then refuses an ID token that carries one.
    const tokens = await client.authorizationCodeGrant(config, delivered, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      idTokenExpected: true,
    });
    assert.equal(tokens.claims()?.sub, hank.username);
    assert.equal(tokens.claims()?.nonce, undefined);
  });

  test('refuses a request without state, or without PKCE S256: invalid_request, redirected to the client', async () => {
    const valid = handBuilt(idp, callback.redirectUri);
    assertSignInPageNext(await authorize(idp, valid), 'valid');

    const cases: [string, Record<string, string | undefined>, RegExp][] = [
      ['no state', { state: undefined }, /^missing required parameter 'state'$/],
      [
        'no PKCE',
        { code_challenge: undefined, code_challenge_method: undefined },
        /^Authorization Server policy requires PKCE to be used for this request$/,
      ],
      ['PKCE plain', { code_challenge_method: 'plain' }, /^not supported value of code_challenge_method$/],
      ['no PKCE method', { code_challenge_method: undefined }, /^code_challenge_method must be provided$/],
    ];
    for (const [what, changes, description] of cases) {
      const params = { ...valid, ...changes };
      const response = await authorize(
        idp,
        Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => !!entry[1])),
      );
      assert.equal(response.status, 303, what);
      const location = new URL(response.headers.get('location') ?? '');
      assert.equal(`${location.origin}${location.pathname}`, callback.redirectUri, what);
      assert.equal(location.searchParams.get('error'), 'invalid_request', what);
      assert.match(location.searchParams.get('error_description') ?? '', description, what);
      assert.equal(location.searchParams.get('state'), params.state ?? null, what);
      assert.equal(location.searchParams.get('iss'), idp.issuer, what);
    }
  });

  test('accepts the registered path on 127.0.0.1 with any port, and refuses every other redirect URI on its own page', async () => {
    const valid = handBuilt(idp, callback.redirectUri);
    for (const redirectUri of ['http://127.0.0.1:54321/oauth/callback', 'http://127.0.0.1/oauth/callback']) {
      assertSignInPageNext(await authorize(idp, { ...valid, redirect_uri: redirectUri }), redirectUri);
    }
    for (const redirectUri of [
      'http://127.0.0.1:54321/elsewhere',
      'http://127.0.0.1:54321/oauth/callback/',
      'http://127.0.0.1:54321/oauth/callback?from=zcc',
      'http://localhost:54321/oauth/callback',
      'http://[::1]:54321/oauth/callback',
      'https://127.0.0.1:54321/oauth/callback',
      'http://example.com/oauth/callback',
    ]) {
      await assertErrorPage(idp, { ...valid, redirect_uri: redirectUri }, 'invalid_redirect_uri');
    }
    await assertErrorPage(idp, { ...valid, client_id: 'another-client' }, 'invalid_client');
  });

  test('redeems a code once, at the token endpoint, with its PKCE verifier and redirect URI', async () => {
    const request = await authorizationRequest(config, callback.redirectUri);
    const code = (await signIn(request)).searchParams.get('code') ?? '';
    const refusals: [string, Record<string, string>][] = [
      ['another verifier', { code_verifier: client.randomPKCECodeVerifier() }],
      ['another port', { redirect_uri: 'http://127.0.0.1:54321/oauth/callback' }],
    ];
    for (const [what, changes] of refusals) {
      const refused = await redeem(code, request.verifier, changes);
      assert.equal(refused.status, 400, what);
      assert.equal(((await refused.json()) as { error: string }).error, 'invalid_grant', what);
    }
    // A refused attempt leaves the code usable (oidc-provider consumes it only on success).
    const granted = await redeem(code, request.verifier);
    assert.equal(granted.status, 200);
    const tokens = (await granted.json()) as Record<string, unknown>;
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.expires_in, 3600);
    assert.equal(tokens.scope, 'openid profile email');
    assert.equal(typeof tokens.id_token, 'string');
    assert.equal(tokens.refresh_token, undefined);

    const again = await redeem(code, request.verifier);
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant');
  });

  test('issues ID tokens with the fault it is switched to, records the codes presented, and is sound again after reset()', async () => {
    const keys = createLocalJWKSet(idp.jwks as { keys: JWK[] });
    const tokenFor = async () => {
      const request = await authorizationRequest(config, callback.redirectUri);
      const response = await signIn(request);
      const code = response.searchParams.get('code') ?? '';
      const redeemed = await redeem(code, request.verifier);
      const { id_token } = (await redeemed.json()) as { id_token: string };
      return { code, idToken: id_token, nonce: request.nonce };
    };
    const verified = async (idToken: string) =>
      (await jwtVerify(idToken, keys, { issuer: idp.issuer, currentDate: new Date(0) })).payload;

    idp.reset();
    idp.issueFaultyIdTokens('other-audience');
    const other = await tokenFor();
    assert.equal((await verified(other.idToken)).aud, idp.otherClientId);
    assert.deepEqual(idp.tokenRequests, [{ code: other.code, clientId: idp.clientId }]);
    idp.issueFaultyIdTokens('other-nonce');
    const nonce = await tokenFor();
    assert.notEqual((await verified(nonce.idToken)).nonce, nonce.nonce);
    idp.issueFaultyIdTokens('expired');
    const expired = await tokenFor();
    assert.ok(((await verified(expired.idToken)).exp ?? Infinity) < Date.now() / 1000 - 3000);
    idp.issueFaultyIdTokens('foreign-key');
    const foreign = await tokenFor();
    await assert.rejects(verified(foreign.idToken), { code: 'ERR_JWKS_NO_MATCHING_KEY' });

    idp.reset();
    assert.deepEqual(idp.tokenRequests, []);
    const sound = await tokenFor();
    const claims = await jwtVerify(sound.idToken, keys, { issuer: idp.issuer, audience: idp.clientId });
    assert.equal(claims.payload.nonce, sound.nonce);
  });

  test('has another registered app, whose codes the client cannot redeem', async () => {
    const code = await attackerCode(idp.issuer, idp.otherClientId, hank);
    const refused = await redeem(code, client.randomPKCECodeVerifier());
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: string }).error, 'invalid_grant');
    await assert.rejects(
      sendCallback('http://localhost:1/oauth/callback', { code }),
      /not http on 127\.0\.0\.1/,
    );
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

describe("an organisation's identity-provider settings", () => {
  /** An identity provider for Globex with these settings and a loopback listener, both closed after `body`. */
  async function withIdentityProvider(
    settings: Partial<IdentityProviderSettings>,
    body: (idp: RunningIdentityProvider, callback: Listener) => Promise<void>,
  ): Promise<void> {
    const idp = await startIdentityProvider({
      organisation: organisation('globex', 'Globex Corporation', settings),
    });
    const callback = await listen();
    try {
      await body(idp, callback);
    } finally {
      await callback.close();
      await idp.close();
    }
  }

  for (const alg of ['ES256', 'PS256'] as const) {
    test(`idTokenSigningAlg ${alg}: ${alg} ID tokens that verify with the published keys, RS256 still offered`, () =>
      withIdentityProvider({ idTokenSigningAlg: alg }, async (idp, callback) => {
        assert.equal(idp.idTokenSigningAlg, alg);
        const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
          id_token_signing_alg_values_supported: string[];
        };
        assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256', alg]);
        const published = (await (await fetch(`${idp.issuer}/v1/keys`)).json()) as { keys: JWK[] };
        assert.deepEqual(
          published.keys.map((key) => [key.alg, key.kid]),
          idp.jwks.keys.map((key) => [key.alg, key.kid]),
        );
        assert.deepEqual(
          idp.jwks.keys.map((key) => key.alg),
          ['RS256', alg],
        );

        const config = await discover(idp);
        const request = await authorizationRequest(config, callback.redirectUri);
        const tokens = await client.authorizationCodeGrant(config, await signIn(request), {
          pkceCodeVerifier: request.verifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
          idTokenExpected: true,
        });
        assert.ok(tokens.id_token);
        // As the policy API verifies a partner ID token: the IdP's public keys, no algorithm list.
        const verified = await jwtVerify(tokens.id_token, createLocalJWKSet(idp.jwks), {
          issuer: idp.issuer,
          audience: idp.clientId,
        });
        assert.equal(verified.protectedHeader.alg, alg);
        assert.equal(verified.protectedHeader.kid, idp.jwks.keys[1]?.kid);
      }));
  }

  test('a custom clientId, redirect URIs and scopes are honoured, and the defaults then refused', () =>
    withIdentityProvider(
      {
        clientId: 'globex-zcc',
        redirectUris: ['http://127.0.0.1/callback', 'http://[::1]/callback'],
        scopes: ['openid', 'email'],
      },
      async (idp, callback) => {
        assert.equal(idp.clientId, 'globex-zcc');
        const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
          scopes_supported: string[];
        };
        assert.deepEqual(discovery.scopes_supported, ['openid', 'email']);

        const redirectUri = `${callback.origin}/callback`;
        const config = await discover(idp);
        const request = await authorizationRequest(config, redirectUri);
        const delivered = await signIn(request);
        assert.equal(`${delivered.origin}${delivered.pathname}`, redirectUri);
        const tokens = await client.authorizationCodeGrant(config, delivered, {
          pkceCodeVerifier: request.verifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
        });
        // profile was asked for but is not offered: dropped, not refused.
        assert.equal(tokens.scope, 'openid email');
        assert.equal(tokens.claims()?.aud, 'globex-zcc');
        assert.equal(tokens.claims()?.email, hank.username);
        assert.equal(tokens.claims()?.name, undefined);

        const valid = handBuilt(idp, redirectUri);
        assertSignInPageNext(
          await authorize(idp, { ...valid, redirect_uri: 'http://[::1]:54321/callback' }),
          '[::1]',
        );
        await assertErrorPage(idp, { ...valid, redirect_uri: callback.redirectUri }, 'invalid_redirect_uri');
        await assertErrorPage(
          idp,
          { ...valid, client_id: DEFAULT_IDENTITY_PROVIDER.clientId },
          'invalid_client',
        );
      },
    ));
});

describe('several identity providers', () => {
  test('get their own ports and keys, and escape what they show', async () => {
    const odd = organisation('initech', 'Initech & <Sons> "Ltd"');
    const [first, second] = await Promise.all([
      startIdentityProvider({ organisation: globex }),
      startIdentityProvider({ organisation: odd }),
    ]);
    const callback = await listen();
    const agent = new HttpUserAgent();
    try {
      assert.notEqual(first.origin, second.origin);
      assert.notEqual(first.jwks.keys[0]?.kid, second.jwks.keys[0]?.kid);
      assert.notEqual(first.jwks.keys[0]?.n, second.jwks.keys[0]?.n);

      const config = await discover(second);
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

  test('submits the sign-in form as a browser would, with its cookies, and delivers the redirect to the client', async () => {
    const client = await listen();
    const posted: { body: string; cookie: string | undefined }[] = [];
    const idp = await listen((request, response) => {
      if (request.method === 'POST') {
        let body = '';
        request.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        request.on('end', () => {
          posted.push({ body, cookie: request.headers.cookie });
          response.writeHead(302, {
            location: `${client.redirectUri}?code=c1`,
            'set-cookie': '_session=s1; Path=/; HttpOnly',
          });
          response.end();
        });
        return;
      }
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': ['_interaction=i1; Path=/login; HttpOnly', 'other=o; Path=/elsewhere'],
      });
      response.end(
        '<!DOCTYPE html><title>Sign In</title><h1 data-organisation>Globex</h1>' +
          '<form method="post" action="/login/submit"><input type="hidden" name="state" value="a&amp;b">' +
          '<label>Username <input name="username"></label>' +
          '<label for="pw">Password</label><input id="pw" name="password" type="password">' +
          '<input type="checkbox" name="remember" checked><input type="checkbox" name="unticked">' +
          '<button name="op" value="other">Other</button><button name="op" value="signin">Sign In</button>' +
          '</form><a href="/cancel">Cancel</a>',
      );
    });
    const agent = new HttpUserAgent();
    try {
      const page = await agent.open(`${idp.origin}/login/start`);
      assert.deepEqual(page.fields, ['Username', 'Password']);
      assert.deepEqual(page.controls, ['Other', 'Sign In', 'Cancel']);
      const result = await agent.signIn(hank);
      assert.deepEqual(result, { kind: 'redirected', url: `${client.redirectUri}?code=c1`, status: 200 });
      assert.deepEqual(posted, [
        {
          body: new URLSearchParams({
            state: 'a&b',
            username: hank.username,
            password: hank.password,
            remember: 'on',
            op: 'signin',
          }).toString(),
          cookie: '_interaction=i1',
        },
      ]);
      assert.deepEqual(
        client.received.map((url) => url.search),
        ['?code=c1'],
      );
    } finally {
      await agent.close();
      await idp.close();
      await client.close();
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
