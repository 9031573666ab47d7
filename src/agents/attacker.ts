/**
 * The attacker at the loopback (RFC 8252 §8.9, RFC 9207): another program on the person's machine
 * that knows the client's loopback redirect URI and sends it a forged authorization response before
 * the real one. Its code is real: it signs in at the identity provider with its own account, its own
 * PKCE verifier and its own loopback listener, and keeps the code instead of redeeming it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { ClientActionError } from '../verdict.ts';
import { HttpUserAgent } from './http-user-agent.ts';

const CALLBACK_TIMEOUT_MS = 10_000;

/** An authorization code the identity provider at `issuer` issued to `clientId` for `account`. */
export async function attackerCode(
  issuer: string,
  clientId: string,
  account: { username: string; password: string },
): Promise<string> {
  const listener = await ownListener();
  const agent = new HttpUserAgent();
  try {
    const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
      authorization_endpoint: string;
    };
    const url = new URL(metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: listener.redirectUri,
      scope: 'openid',
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    }).toString();
    await agent.open(url.href);
    const result = await agent.signIn(account);
    const code = result.kind === 'redirected' ? new URL(result.url).searchParams.get('code') : null;
    if (code === null) {
      throw new Error(`the attacker's own sign-in at ${issuer} as ${account.username} gave no code`);
    }
    return code;
  } finally {
    await agent.close();
    await listener.close();
  }
}

/**
 * Sends the client's redirect URI an authorization response with `parameters`, as a GET from the
 * same machine. Only to 127.0.0.1: any other host is refused, a harness error. A listener that does
 * not answer is the client not offering what the sign-in needs (blocked).
 */
export async function sendCallback(redirectUri: string, parameters: Record<string, string>): Promise<number> {
  const url = URL.parse(redirectUri);
  if (url === null || url.protocol !== 'http:' || url.hostname !== '127.0.0.1') {
    throw new Error(`refusing to send a forged callback to ${redirectUri}: not http on 127.0.0.1`);
  }
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS) });
  } catch (error) {
    throw new ClientActionError(
      `the client's loopback listener ${redirectUri} did not answer a callback: ${(error as Error).message}`,
    );
  }
  await response.body?.cancel().catch(() => undefined);
  return response.status;
}

async function ownListener(): Promise<{ redirectUri: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
    response.end('<!doctype html><title>Signed in</title><p>Signed in.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/oauth/callback`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
