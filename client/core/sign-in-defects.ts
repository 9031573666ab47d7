/**
 * The named defects of the partner sign-in, as wrappers around the correct sign-in of sign-in.ts: a
 * parameter the authorization request leaves out, or a check of the response or of the ID token the
 * client skips. Kept apart so that sign-in.ts holds only what a conforming client does (and is all
 * that `npm run mutation` mutates: a defect-free run never runs these).
 */
import type { DefectName } from './defects.ts';
import type { SignInFactory } from './sign-in.ts';

type Omitted = 'pkce' | 'state';
/** The response's `state` and `iss`; the ID token's `aud`, `nonce` and `exp` claims. */
type SkippedCheck = 'state' | 'iss' | 'aud' | 'nonce' | 'exp';

const OMITTED: Partial<Record<DefectName, Omitted>> = {
  'authorization-without-pkce': 'pkce',
  'authorization-without-state': 'state',
};

const SKIPPED: Partial<Record<DefectName, SkippedCheck>> = {
  'callback-state-not-checked': 'state',
  'callback-iss-not-checked': 'iss',
  'id-token-audience-not-checked': 'aud',
  'id-token-nonce-not-checked': 'nonce',
  'id-token-expiry-not-checked': 'exp',
};

const OMITTED_PARAMETERS: Record<Omitted, readonly string[]> = {
  pkce: ['code_challenge', 'code_challenge_method'],
  state: ['state'],
};

/** The sign-in as the defect runs it; `signIn` itself for a defect that is not one of the sign-in's. */
export function signInWithDefect(signIn: SignInFactory, defect: DefectName | undefined): SignInFactory {
  if (defect === undefined) return signIn;
  const omitted = OMITTED[defect];
  if (omitted !== undefined) return omitParameters(signIn, OMITTED_PARAMETERS[omitted]);
  const skipped = SKIPPED[defect];
  return skipped === undefined ? signIn : skipCheck(signIn, skipped);
}

function omitParameters(signIn: SignInFactory, names: readonly string[]): SignInFactory {
  return async (request) => {
    const session = await signIn(request);
    const url = new URL(session.authorizationUrl);
    for (const name of names) url.searchParams.delete(name);
    return { authorizationUrl: url.href, complete: (callbackUrl) => session.complete(callbackUrl) };
  };
}

/**
 * `state` and `iss`: the callback is given the values the check expects, whatever it carried. An ID
 * token claim: the client uses the ID token of the token response whatever openid-client said of it.
 */
function skipCheck(signIn: SignInFactory, check: SkippedCheck): SignInFactory {
  return async (request) => {
    let rawIdToken: string | undefined;
    const capture: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (response.ok) {
        const body = (await response
          .clone()
          .json()
          .catch(() => undefined)) as { id_token?: unknown } | undefined;
        if (typeof body?.id_token === 'string') rawIdToken = body.id_token;
      }
      return response;
    };
    const session = await signIn({ ...request, fetch: capture });
    const expectedState = new URL(session.authorizationUrl).searchParams.get('state') ?? '';
    return {
      authorizationUrl: session.authorizationUrl,
      async complete(callbackUrl) {
        const response = new URL(callbackUrl);
        if (check === 'state') response.searchParams.set('state', expectedState);
        if (check === 'iss') response.searchParams.set('iss', new URL(request.issuer).href);
        try {
          return await session.complete(response);
        } catch (error) {
          if (rawIdToken !== undefined && failedClaim(error) === check) return rawIdToken;
          throw error;
        }
      },
    };
  };
}

/** The ID token claim a validation failed on: openid-client's error wraps oauth4webapi's, whose cause names it. */
function failedClaim(error: unknown): string | undefined {
  for (let link = error; link instanceof Error; link = link.cause) {
    const { claim } = (link.cause ?? {}) as { claim?: unknown };
    if (typeof claim === 'string') return claim;
  }
  return undefined;
}
