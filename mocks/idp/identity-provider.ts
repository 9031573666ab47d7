/**
 * An Okta-style OpenID Connect provider for one organisation: oidc-provider mounted under
 * /oauth2/default (Okta's custom authorization server layout), one native public client with loopback
 * redirect URIs (RFC 8252), authorization code + PKCE, accounts from the organisation's users, the
 * client registration from the organisation's `identityProvider` settings.
 * It listens on 127.0.0.1 only, on a free port, with fresh keys per start.
 * For the scenarios of a forged sign-in it also has a second registered app (`otherClientId`), records
 * the codes presented at its token endpoint, and can be switched to issue faulty ID tokens
 * (`issueFaultyIdTokens`) until `reset()`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  SignJWT,
} from 'jose';
import Koa from 'koa';
import mount from 'koa-mount';
import Provider, {
  type ClientMetadata,
  type Configuration,
  errors,
  type Interaction,
  interactionPolicy,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type {
  IdentityProviderSettings,
  IdTokenSigningAlg,
  Organisation,
  Scope,
  User,
} from '../../src/fixtures/types.ts';
import { createMemoryAdapterFactory } from './memory-adapter.ts';
import { renderErrorPage, renderMessagePage, renderSignInPage } from './sign-in-page.ts';

export interface IdentityProviderOptions {
  organisation: Organisation;
  /** The port on 127.0.0.1; a free one when absent (or 0). */
  port?: number;
}

export interface RunningIdentityProvider {
  organisation: { id: string; name: string };
  /** http://127.0.0.1:PORT */
  origin: string;
  /** `${origin}/oauth2/default` */
  issuer: string;
  clientId: string;
  /** The algorithm the client's ID tokens are signed with. */
  idTokenSigningAlg: IdTokenSigningAlg;
  /** The public signing keys, one per algorithm offered, for verifying ID tokens in process. */
  jwks: { keys: JWK[] };
  /**
   * Every authorization request it received since the last `reset()`, in order: evidence of where a
   * client sent a sign-in, also one the harness's user agent never saw (a browser window the client
   * opened, signed in from a session and sent back at once, or a sign-in page the client shows in
   * its own window).
   */
  readonly authorizationRequests: readonly AuthorizationRequest[];
  /** Every request to the token endpoint since the last `reset()`: the code and client it named. */
  readonly tokenRequests: readonly TokenRequest[];
  /** Another app registered at this identity provider (native, loopback redirects, PKCE). */
  otherClientId: string;
  /** From now until `reset()`, every ID token it issues has this fault. */
  issueFaultyIdTokens(fault: IdTokenFault): void;
  /** Forgets the requests it received and issues sound ID tokens again: before each scenario. */
  reset(): void;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

export const MOUNT_PATH = '/oauth2/default';
const TOKEN_PATH = `${MOUNT_PATH}/v1/token`;
export const OTHER_CLIENT_ID = 'partner-portal-native';

export interface AuthorizationRequest {
  /** The request as received, e.g. `http://127.0.0.1:PORT/oauth2/default/v1/authorize?client_id=…`. */
  url: string;
  loginHint: string | undefined;
  /** Orders the requests of every identity provider of this process. */
  seq: number;
  /** Its answer: the status, and where a redirect sent the user agent. */
  status: number;
  location: string | undefined;
}

let requestSeq = 0;

export interface TokenRequest {
  code: string | undefined;
  clientId: string | undefined;
}

/**
 * What is wrong with the ID tokens: signed with a key that is not in the JWKS, for another audience,
 * with another nonce than the authorization request's, or expired an hour ago.
 */
export type IdTokenFault = 'foreign-key' | 'other-audience' | 'other-nonce' | 'expired';
export const ID_TOKEN_FAULTS: readonly IdTokenFault[] = [
  'foreign-key',
  'other-audience',
  'other-nonce',
  'expired',
];
/** The claims each scope releases, in the ID token and at the userinfo endpoint. */
const SCOPE_CLAIMS: Record<Scope, string[]> = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email', 'email_verified'],
};
const INTERACTION_PATH = new RegExp(`^${MOUNT_PATH}/interaction/([A-Za-z0-9_-]+)(?:/(login|abort))?$`);
const MAX_FORM_BYTES = 64 * 1024;

export async function startIdentityProvider(
  options: IdentityProviderOptions,
): Promise<RunningIdentityProvider> {
  const { organisation } = options;
  const settings = organisation.identityProvider;
  const keys = await Promise.all(offeredAlgs(settings).map((alg) => signingKey(organisation.id, alg)));

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const issuer = `${origin}${MOUNT_PATH}`;

  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });

  const authorizationRequests: AuthorizationRequest[] = [];
  const tokenRequests: TokenRequest[] = [];
  let fault: IdTokenFault | undefined;
  const cookieKeys = [randomBytes(32).toString('base64url')];
  try {
    const signingKeys = keys.map((key) => key.signing);
    const provider = new Provider(issuer, configuration(organisation, signingKeys, cookieKeys));
    const app = new Koa();
    // koa-mount runs the provider's middleware on this app's context, so its signed cookies use these keys.
    app.keys = cookieKeys;
    app.use(async (ctx, next) => {
      if (ctx.path !== `${MOUNT_PATH}/v1/authorize`) return next();
      const hint = ctx.query.login_hint;
      requestSeq += 1;
      const request: AuthorizationRequest = {
        url: `${origin}${ctx.originalUrl}`,
        loginHint: typeof hint === 'string' ? hint : undefined,
        seq: requestSeq,
        status: 0,
        location: undefined,
      };
      authorizationRequests.push(request);
      await next();
      request.status = ctx.status;
      request.location = ctx.response.get('location') || undefined;
    });
    app.use(async (ctx, next) => {
      if (ctx.path !== TOKEN_PATH) return next();
      await next();
      const oidc = (ctx as Partial<KoaContextWithOIDC>).oidc;
      const code = oidc?.params?.code;
      tokenRequests.push({
        code: typeof code === 'string' ? code : undefined,
        clientId: oidc?.client?.clientId,
      });
      const body = ctx.body as { id_token?: unknown } | undefined;
      if (fault !== undefined && ctx.status === 200 && typeof body?.id_token === 'string') {
        ctx.body = { ...body, id_token: await withFault(body.id_token, fault, keys) };
      }
    });
    app.use(interactionRoutes(provider, organisation));
    app.use(mount(MOUNT_PATH, provider));
    server.on('request', app.callback());
  } catch (error) {
    await close();
    throw error;
  }

  return {
    organisation: { id: organisation.id, name: organisation.name },
    origin,
    issuer,
    clientId: settings.clientId,
    idTokenSigningAlg: settings.idTokenSigningAlg,
    jwks: { keys: keys.map((key) => key.verification) },
    authorizationRequests,
    tokenRequests,
    otherClientId: OTHER_CLIENT_ID,
    issueFaultyIdTokens: (next) => {
      fault = next;
    },
    reset: () => {
      authorizationRequests.length = 0;
      tokenRequests.length = 0;
      fault = undefined;
    },
    close,
  };
}

/**
 * RS256 always, as OpenID Connect Discovery 1.0 §3 requires it in id_token_signing_alg_values_supported,
 * and the organisation's algorithm when it is another.
 */
function offeredAlgs(settings: IdentityProviderSettings): IdTokenSigningAlg[] {
  return [...new Set<IdTokenSigningAlg>(['RS256', settings.idTokenSigningAlg])];
}

type SigningKey = { signing: JWK; verification: JWK };

const keysOfThisProcess = new Map<string, Promise<SigningKey>>();

/**
 * The organisation's key for `alg`, generated once per process: a run (one process) gets fresh
 * keys, and a process that starts the simulated world again, as the tests do, does not pay for RSA
 * key generation (about 100 ms a key) each time.
 */
function signingKey(organisationId: string, alg: IdTokenSigningAlg): Promise<SigningKey> {
  const id = `${organisationId} ${alg}`;
  let key = keysOfThisProcess.get(id);
  if (key === undefined) {
    key = generateSigningKey(alg);
    keysOfThisProcess.set(id, key);
  }
  return key;
}

/** A fresh key pair for one algorithm (RSA keys are 2048-bit, as Okta's). */
async function generateSigningKey(alg: IdTokenSigningAlg): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const labels = { kid: randomUUID(), alg, use: 'sig' };
  return {
    signing: { ...(await exportJWK(privateKey)), ...labels },
    verification: { ...(await exportJWK(publicKey)), ...labels },
  };
}

/**
 * The ID token with `fault`, signed again: with the identity provider's own key for its algorithm,
 * or, for `foreign-key`, with a key of the same algorithm that its JWKS does not have.
 */
async function withFault(idToken: string, fault: IdTokenFault, keys: readonly SigningKey[]): Promise<string> {
  const header = decodeProtectedHeader(idToken);
  const alg = header.alg as IdTokenSigningAlg;
  const own = keys.find((key) => key.signing.alg === alg);
  if (own === undefined) throw new Error(`no signing key for ${alg}`);
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (fault === 'other-audience') claims.aud = OTHER_CLIENT_ID;
  if (fault === 'other-nonce') claims.nonce = randomBytes(16).toString('base64url');
  if (fault === 'expired')
    Object.assign(claims, { iat: now - 2 * 3600, exp: now - 3600, auth_time: now - 2 * 3600 });
  const key = fault === 'foreign-key' ? await foreignKey(alg) : own;
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: String(key.signing.kid), typ: header.typ ?? 'JWT' })
    .sign(await importJWK(key.signing, alg));
}

/** A key the identity providers never publish. */
function foreignKey(alg: IdTokenSigningAlg): Promise<SigningKey> {
  return signingKey('not-in-any-jwks', alg);
}

function findUser(organisation: Organisation, username: string): User | undefined {
  const wanted = username.trim().toLowerCase();
  return organisation.users.find((user) => user.username.toLowerCase() === wanted);
}

/** Okta answers invalid_request to an authorization request without state; nonce is optional there. */
function requireParameter(name: string) {
  return (_ctx: KoaContextWithOIDC, value: string | undefined) => {
    if (!value) throw new errors.InvalidRequest(`missing required parameter '${name}'`);
  };
}

/**
 * oidc-provider's default policy asks native clients for consent on every authorization, even with a
 * session (RFC 8252 §8.6). Okta's first-party apps skip consent, so a signed-in user goes straight back.
 */
function signInPolicy(): interactionPolicy.Prompt[] {
  const policy = interactionPolicy.base();
  policy.get('consent')?.checks.remove('native_client_prompt');
  return policy;
}

function configuration(organisation: Organisation, signingKeys: JWK[], cookieKeys: string[]): Configuration {
  const settings = organisation.identityProvider;
  // Both apps are native, on the same loopback redirect URIs: any port is accepted (RFC 8252 §7.3).
  const nativeClient = (clientId: string, name: string): ClientMetadata => ({
    client_id: clientId,
    client_name: name,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: settings.redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: settings.idTokenSigningAlg,
  });
  return {
    adapter: createMemoryAdapterFactory(),
    clients: [
      nativeClient(settings.clientId, 'Zscaler Client Connector'),
      nativeClient(OTHER_CLIENT_ID, `${organisation.name} Partner Portal`),
    ],
    jwks: { keys: signingKeys },
    cookies: { keys: cookieKeys },
    routes: {
      authorization: '/v1/authorize',
      token: '/v1/token',
      jwks: '/v1/keys',
      userinfo: '/v1/userinfo',
      end_session: '/v1/logout',
      pushed_authorization_request: '/v1/par',
    },
    scopes: settings.scopes,
    // Only the offered scopes' claims: oidc-provider offers every scope its claims name.
    claims: Object.fromEntries(settings.scopes.map((scope) => [scope, SCOPE_CLAIMS[scope]])),
    // Okta puts the profile and email claims in the ID token too, not only at the userinfo endpoint.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    enabledJWA: { idTokenSigningAlgValues: offeredAlgs(settings) },
    pkce: { required: () => true },
    extraParams: { state: requireParameter('state') },
    allowOmittingSingleRegisteredRedirectUri: false,
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 10 * 60,
      Session: 60 * 60,
      Grant: 60 * 60,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = renderMessagePage(
            organisation.name,
            'Sign Out',
            `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign Out</button>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = renderMessagePage(organisation.name, 'Signed Out', '<p>You have been signed out.</p>');
        },
      },
    },
    interactions: {
      policy: signInPolicy(),
      url: (_ctx, interaction) => `${MOUNT_PATH}/interaction/${interaction.uid}`,
    },
    findAccount: (_ctx, sub) => {
      const user = findUser(organisation, sub);
      if (!user) return undefined;
      return {
        accountId: user.username,
        claims: () => ({
          sub: user.username,
          email: user.username,
          email_verified: true,
          name: user.displayName,
          preferred_username: user.username,
        }),
      };
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(organisation.name, String(out.error), out.error_description);
    },
  };
}

/** The sign-in page, its form target and its Cancel link, in front of the provider. */
function interactionRoutes(provider: Provider, organisation: Organisation): Koa.Middleware {
  return async (ctx, next) => {
    const match = INTERACTION_PATH.exec(ctx.path);
    if (!match) return next();
    const uid = match[1]!;
    const action = match[2] ?? 'page';
    const allowed = action === 'login' ? 'POST' : 'GET';
    if (ctx.method !== allowed) {
      ctx.status = 405;
      ctx.set('Allow', allowed);
      return;
    }
    ctx.set('Cache-Control', 'no-store');

    try {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (details.uid !== uid) throw new errors.SessionNotFound('interaction session not found');
      const pageOptions = {
        organisation: organisation.name,
        action: `${MOUNT_PATH}/interaction/${uid}/login`,
        cancelUrl: `${MOUNT_PATH}/interaction/${uid}/abort`,
      };

      if (action === 'abort') {
        ctx.respond = false;
        await provider.interactionFinished(
          ctx.req,
          ctx.res,
          { error: 'access_denied', error_description: 'The user cancelled the sign-in' },
          { mergeWithLastSubmission: false },
        );
        return;
      }

      const signedIn = details.session?.accountId;
      if (action === 'page' && details.prompt.name === 'consent' && signedIn) {
        // Already signed in (prompt=consent, or a grant short of scopes): grant without asking, as Okta
        // does for first-party apps.
        const grantId = await saveGrant(provider, details, signedIn, organisation.identityProvider.scopes);
        ctx.respond = false;
        await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } });
        return;
      }

      if (action === 'page') {
        const hint = details.params.login_hint;
        ctx.type = 'html';
        ctx.body = renderSignInPage({ ...pageOptions, username: typeof hint === 'string' ? hint : '' });
        return;
      }

      const form = await readForm(ctx.req);
      const username = form.get('username') ?? '';
      const user = findUser(organisation, username);
      if (!user || user.password !== (form.get('password') ?? '')) {
        ctx.type = 'html';
        ctx.body = renderSignInPage({ ...pageOptions, username, error: 'Unable to sign in' });
        return;
      }

      const grantId = await saveGrant(provider, details, user.username, organisation.identityProvider.scopes);
      ctx.respond = false;
      await provider.interactionFinished(
        ctx.req,
        ctx.res,
        {
          login: { accountId: user.username, remember: form.get('remember') === 'on' },
          consent: { grantId },
        },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      ctx.respond = true;
      const known = error instanceof errors.OIDCProviderError;
      ctx.status = known ? error.statusCode : 500;
      ctx.type = 'html';
      ctx.body = renderErrorPage(
        organisation.name,
        known ? error.error : 'server_error',
        known ? (error.error_description ?? error.message) : 'The sign-in could not be completed',
      );
    }
  };
}

/** Finishing with a saved grant of every offered scope keeps the flow from looping to a consent prompt. */
async function saveGrant(
  provider: Provider,
  details: Interaction,
  accountId: string,
  scopes: readonly Scope[],
): Promise<string> {
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant =
    existing?.accountId === accountId
      ? existing
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  grant.addOIDCScope(scopes.join(' '));
  return grant.save();
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    throw new errors.InvalidRequest('the sign-in form must be posted as application/x-www-form-urlencoded');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new errors.InvalidRequest('the sign-in form is too large');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
