/**
 * The user agent that completes the identity-provider step: the client opens an authorization URL
 * and the harness, as the person at the keyboard, signs in on the page that appears.
 */

/** What a person sees on an identity provider's page. */
export interface SignInPage {
  url: string;
  origin: string;
  /** Document title, e.g. "Globex Corporation - Sign In". */
  title: string;
  /** The organisation the page names (its heading). */
  organisation: string;
  /** Labelled fields, e.g. ["Username", "Password"]. */
  fields: string[];
  /** Buttons and links, e.g. ["Sign In", "Cancel"]. */
  controls: string[];
  /** Error text, e.g. "Unable to sign in". */
  error?: string;
  /**
   * The page is shown inside the client's authentication window (client-window-user-agent.ts): its
   * fields, controls and error are the window's, its URL the request the identity provider received,
   * its organisation that identity provider's.
   */
  inClientWindow?: true;
}

export type SignInResult =
  /** The identity provider redirected back to the client's redirect URI; the agent delivered it. */
  | { kind: 'redirected'; url: string; status: number }
  /** The agent is still on an identity-provider page (wrong password, for example). */
  | { kind: 'page'; page: SignInPage }
  /** The client closed the sign-in page in its own window: it caught the redirect itself. */
  | { kind: 'closed' };

export interface UserAgent {
  /** Open the URL the client opened and follow redirects to the page a person would see. */
  open(url: string): Promise<SignInPage>;
  /** Fill Username and Password and press Sign In. */
  signIn(credentials: { username: string; password: string }): Promise<SignInResult>;
  /** Press the page's Cancel link. */
  cancel(): Promise<SignInResult>;
  close(): Promise<void>;
}

/**
 * The identity provider refused the authorization request the client opened: it answered with its
 * own error page (a 4xx status) or sent the user agent straight back to the client with `error=`
 * (RFC 6749 §4.1.2.1). The request is the client's, so this is the client's fault, never the harness's.
 */
export class AuthorizationRefused extends Error {
  override name = 'AuthorizationRefused';
  /** The authorization URL the client opened. */
  readonly url: string;
  /** What the identity provider answered, e.g. `it redirected back to … with error=invalid_request (…)`. */
  readonly answer: string;

  constructor(url: string, answer: string) {
    super(
      `the identity provider refused the client's authorization request: ${answer}; the request was ${url}`,
    );
    this.url = url;
    this.answer = answer;
  }
}

/** The refusal in a redirect back to the client (`error=` and `error_description`), if it is one. */
export function refusalInRedirect(opened: string, redirect: URL): AuthorizationRefused | undefined {
  const error = redirect.searchParams.get('error');
  if (error === null) return undefined;
  const description = redirect.searchParams.get('error_description');
  return new AuthorizationRefused(
    opened,
    `it redirected back to ${redirect.origin}${redirect.pathname} with error=${error}${description ? ` (${description})` : ''}`,
  );
}

/** A 4xx page the identity provider shows instead of its sign-in page; a 5xx is its own failure. */
export function refusalPage(
  opened: string,
  page: URL,
  status: number,
  detail: string | undefined,
): AuthorizationRefused | undefined {
  if (status < 400 || status > 499) return undefined;
  const at = page.href === opened ? '' : ` at ${page.href}`;
  return new AuthorizationRefused(opened, `it answered ${status}${at}${detail ? `: ${detail}` : ''}`);
}
