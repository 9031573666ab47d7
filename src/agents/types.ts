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
}

export type SignInResult =
  /** The identity provider redirected back to the client's redirect URI; the agent delivered it. */
  | { kind: 'redirected'; url: string; status: number }
  /** The agent is still on an identity-provider page (wrong password, for example). */
  | { kind: 'page'; page: SignInPage };

export interface UserAgent {
  /** Open the URL the client opened and follow redirects to the page a person would see. */
  open(url: string): Promise<SignInPage>;
  /** Fill Username and Password and press Sign In. */
  signIn(credentials: { username: string; password: string }): Promise<SignInResult>;
  /** Press the page's Cancel link. */
  cancel(): Promise<SignInResult>;
  close(): Promise<void>;
}
