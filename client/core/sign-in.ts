/**
 * The partner sign-in: OpenID Connect authorization code flow with PKCE (S256), state and nonce,
 * as a native app runs it (openid-client 6). The ID token is validated by openid-client.
 */
import * as oidc from 'openid-client';

export interface SignInRequest {
  /** The identity provider to sign in at, e.g. `http://127.0.0.1:PORT/oauth2/default`. */
  issuer: string;
  clientId: string;
  /** The username the person typed, passed on as `login_hint`. */
  loginHint: string;
  /** The loopback redirect URI. */
  redirectUri: string;
  /** Parameters the request leaves out (the reference client's defects only). */
  omit?: readonly ('pkce' | 'state')[];
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
  const config = await oidc.discovery(
    issuer,
    request.clientId,
    undefined,
    oidc.None(),
    issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  const expectedState = oidc.randomState();
  const expectedNonce = oidc.randomNonce();
  const omit = new Set(request.omit);
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: request.redirectUri,
    scope: 'openid profile email',
    ...(omit.has('pkce')
      ? {}
      : {
          code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
          code_challenge_method: 'S256',
        }),
    ...(omit.has('state') ? {} : { state: expectedState }),
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
        idTokenExpected: true,
      });
      if (tokens.id_token === undefined) throw new Error('the identity provider returned no ID token');
      return tokens.id_token;
    },
  };
};
