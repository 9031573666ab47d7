/** A native OAuth client's side of a sign-in, for tests of the identity provider and the user agents. */
import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import type { UserAgent } from '../../src/agents/types.ts';

export interface Listener {
  origin: string;
  redirectUri: string;
  received: URL[];
  close(): Promise<void>;
}

/** A native client's loopback redirect target (or any tiny local server, given a handler). */
export async function listen(handler?: RequestListener): Promise<Listener> {
  const received: URL[] = [];
  const server = createServer(
    handler ??
      ((request, response) => {
        received.push(new URL(request.url ?? '/', 'http://127.0.0.1'));
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<!DOCTYPE html><title>Signed in</title><p>You can close this window.</p>');
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    redirectUri: `${origin}/oauth/callback`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  verifier: string;
}

export async function authorizationRequest(
  config: client.Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
): Promise<AuthorizationRequest> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, state, nonce, verifier };
}

/**
 * The native client's configuration from the identity provider's discovery document (plain http),
 * registered for the ID token algorithm the identity provider signs with.
 */
export function discover(idp: {
  issuer: string;
  clientId: string;
  idTokenSigningAlg: string;
}): Promise<client.Configuration> {
  return client.discovery(
    new URL(idp.issuer),
    idp.clientId,
    { id_token_signed_response_alg: idp.idTokenSigningAlg },
    client.None(),
    { execute: [client.allowInsecureRequests] },
  );
}

/**
 * What every user agent must do on a Globex sign-in page: a wrong password shows the page again with
 * "Unable to sign in" (Username, Password, Sign In, Cancel offered), so does an unknown user (the
 * agent waits for the new page rather than taking the old alert), and then `right` signs in: the
 * code it brings back redeems to a token for that user.
 */
export async function assertWrongPasswordThenRight(
  agent: UserAgent,
  request: AuthorizationRequest,
  context: {
    config: client.Configuration;
    origin: string;
    wrongUser: { username: string; password: string };
    right: { username: string; password: string };
  },
): Promise<void> {
  const opened = await agent.open(request.url.href);
  const wrong = await agent.signIn({ username: context.wrongUser.username, password: 'wrong' });
  assert.ok(wrong.kind === 'page', JSON.stringify(wrong));
  assert.equal(wrong.page.error, 'Unable to sign in');
  assert.equal(wrong.page.organisation, 'Globex Corporation');
  assert.equal(wrong.page.title, 'Globex Corporation - Sign In');
  assert.deepEqual(wrong.page.fields, ['Username', 'Password']);
  assert.deepEqual(wrong.page.controls, ['Sign In', 'Cancel']);
  assert.equal(wrong.page.origin, context.origin);
  assert.ok(wrong.page.url.startsWith(opened.url));

  const unknown = await agent.signIn({
    username: 'nobody@globex.example',
    password: context.wrongUser.password,
  });
  assert.ok(unknown.kind === 'page');
  assert.equal(unknown.page.error, 'Unable to sign in');

  const right = await agent.signIn(context.right);
  assert.ok(right.kind === 'redirected', JSON.stringify(right));
  const tokens = await client.authorizationCodeGrant(context.config, new URL(right.url), {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  assert.equal(tokens.claims()?.sub, context.right.username);
}
