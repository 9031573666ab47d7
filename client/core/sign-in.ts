/**
 * The partner sign-in: OpenID Connect authorization code flow with PKCE (S256), state and nonce,
 * as a native app runs it (openid-client 6). openid-client checks the authorization response's state
 * and iss (RFC 9207) and the ID token's claims (OpenID Connect Core §3.1.3.7); like it, the client
 * takes the ID token's signature on trust from the token endpoint (rule 6 there) and leaves its
 * verification to the policy API, which verifies every partner ID token.
 */
import * as oidc from 'openid-client';
import { OUTBOUND_TIMEOUT_MS } from './outbound.ts';

export interface SignInRequest {
  /** The identity provider to sign in at, e.g. `http://127.0.0.1:PORT/oauth2/default`. */
  issuer: string;
  clientId: string;
  /** The username the person typed, passed on as `login_hint`. */
  loginHint: string;
  /** The loopback redirect URI. */
  redirectUri: string;
  /** How the client reaches the identity provider: the global `fetch` unless a defect captures its answers (sign-in-defects.ts). */
  fetch?: typeof fetch;
}

export interface SignInSession {
  /** The URL the client opens in its authentication window. */
  readonly authorizationUrl: string;
  /** Redeems the authorization response (the full callback URL); resolves with the ID token. */
  complete(callbackUrl: URL): Promise<string>;
}

export type SignInFactory = (request: SignInRequest) => Promise<SignInSession>;

export const startSignIn: SignInFactory = async (request) => {
  const issuer = new URL(request.issuer);
  const config = await oidc.discovery(issuer, request.clientId, undefined, oidc.None(), {
    // Stryker disable next-line ArithmeticOperator: the environment failing: only an identity provider that does not answer meets it
    timeout: OUTBOUND_TIMEOUT_MS / 1000,
    ...(issuer.protocol === 'http:' && { execute: [oidc.allowInsecureRequests] }),
  });
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  const expectedState = oidc.randomState();
  const expectedNonce = oidc.randomNonce();
  // Stryker disable next-line all: only a named defect passes a fetch of its own (sign-in-defects.ts)
  if (request.fetch !== undefined) config[oidc.customFetch] = request.fetch;
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: request.redirectUri,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: expectedState,
    nonce: expectedNonce,
    login_hint: request.loginHint,
  });
  return {
    authorizationUrl: authorizationUrl.href,
    async complete(callbackUrl) {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier,
        expectedState,
        expectedNonce,
        // Stryker disable next-line BooleanLiteral: equivalent in outcome: without an ID token the policy API refuses the enrolment, and the same error shows
        idTokenExpected: true,
      });
      // Stryker disable next-line all: equivalent in outcome: without an ID token the policy API refuses the enrolment, and the same error shows
      if (tokens.id_token === undefined) throw new Error('the identity provider returned no ID token');
      return tokens.id_token;
    },
  };
};
