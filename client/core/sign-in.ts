/**
 * The partner sign-in: OpenID Connect authorization code flow with PKCE (S256), state and nonce,
 * as a native app runs it (openid-client 6). openid-client checks the authorization response's state
 * and iss (RFC 9207) and the ID token's claims (OpenID Connect Core §3.1.3.7); like it, the client
 * takes the ID token's signature on trust from the token endpoint (rule 6 there) and leaves its
 * verification to the policy API, which verifies every partner ID token.
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
  /** Checks the client skips (the reference client's defects only). */
  skip?: readonly SkippedCheck[];
}

/** The response's `state` and `iss`; the ID token's `aud`, `nonce` and `exp` claims. */
export type SkippedCheck = 'state' | 'iss' | 'aud' | 'nonce' | 'exp';

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
  const skip = new Set<string>(request.skip);
  // The raw token response, for a defect that uses the ID token whatever openid-client says of it.
  let rawIdToken: string | undefined;
  if (skip.size > 0) {
    config[oidc.customFetch] = async (url, options) => {
      const response = await fetch(url, options);
      if (url === config.serverMetadata().token_endpoint && response.ok) {
        rawIdToken = ((await response.clone().json()) as { id_token?: string }).id_token;
      }
      return response;
    };
  }
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
      const response = new URL(callbackUrl);
      if (skip.has('state')) response.searchParams.set('state', expectedState);
      if (skip.has('iss')) response.searchParams.set('iss', config.serverMetadata().issuer);
      let tokens: oidc.TokenEndpointResponse;
      try {
        tokens = await oidc.authorizationCodeGrant(config, response, {
          pkceCodeVerifier,
          expectedState,
          expectedNonce,
          idTokenExpected: true,
        });
      } catch (error) {
        if (rawIdToken !== undefined && skip.has(failedClaim(error) ?? '')) return rawIdToken;
        throw error;
      }
      if (tokens.id_token === undefined) throw new Error('the identity provider returned no ID token');
      return tokens.id_token;
    },
  };
};

/** The ID token claim a validation failed on: openid-client's error wraps oauth4webapi's, whose cause names it. */
function failedClaim(error: unknown): string | undefined {
  for (let link = error; link instanceof Error; link = link.cause) {
    const { claim } = (link.cause ?? {}) as { claim?: unknown };
    if (typeof claim === 'string') return claim;
  }
  return undefined;
}
