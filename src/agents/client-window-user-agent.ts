/**
 * The sign-in typed into the client's own authentication window, for a client that shows the identity
 * provider's page inside it (an embedded web view: WebView2, WKWebView) and so reports no
 * authorization URL. Username and Password are filled and Sign In or Cancel clicked through the client
 * driver, as the person at the keyboard would in that window; what the window then shows is the page.
 */
import type { ClientDriver, ClientView } from '../drivers/types.ts';
import { ViewNotShown } from '../drivers/view-not-shown.ts';
import type { SignInPage, SignInResult, UserAgent } from './types.ts';

export interface ClientWindowUserAgentOptions {
  driver: ClientDriver;
  /** The organisation whose identity provider serves pages at `origin` (the window cannot show it). */
  organisationAt(origin: string): string;
  /** How long the window may take to show the outcome of Sign In or Cancel; 5000 when absent. */
  timeoutMs?: number;
}

export class ClientWindowUserAgent implements UserAgent {
  readonly #options: ClientWindowUserAgentOptions;
  /** The authorization request the identity provider received for the page in the window. */
  #request: URL | undefined;

  constructor(options: ClientWindowUserAgentOptions) {
    this.#options = options;
  }

  /**
   * `url` is the authorization request the identity provider received from the client (its record,
   * since the window shows no URL); the page is what the authentication window offers now.
   */
  async open(url: string): Promise<SignInPage> {
    this.#request = new URL(url);
    return this.#page(await this.#options.driver.view());
  }

  async signIn(credentials: { username: string; password: string }): Promise<SignInResult> {
    const { driver } = this.#options;
    await driver.act({ type: 'fill', field: 'Username', value: credentials.username });
    await driver.act({ type: 'fill', field: 'Password', value: credentials.password });
    await driver.act({ type: 'click', control: 'Sign In' });
    return this.#outcome('Sign In');
  }

  async cancel(): Promise<SignInResult> {
    await this.#options.driver.act({ type: 'click', control: 'Cancel' });
    return this.#outcome('Cancel');
  }

  async close(): Promise<void> {
    this.#request = undefined;
  }

  /** The window closed (the client caught the redirect itself), or it shows the next page. */
  async #outcome(clicked: string): Promise<SignInResult> {
    let view: ClientView;
    try {
      view = await this.#options.driver.waitForView(
        (v) => v.window !== 'authentication' || v.error !== undefined,
        {
          description: `the authentication window to close or show an error after ${clicked}`,
          timeoutMs: this.#options.timeoutMs ?? 5_000,
        },
      );
    } catch (error) {
      if (!(error instanceof ViewNotShown)) throw error;
      view = error.view ?? (await this.#options.driver.view());
    }
    if (view.window !== 'authentication') {
      this.#request = undefined;
      return { kind: 'closed' };
    }
    return { kind: 'page', page: this.#page(view) };
  }

  #page(view: ClientView): SignInPage {
    const request = this.#request;
    if (!request) throw new Error('no sign-in page is open in the client window; call open(url) first');
    const page: SignInPage = {
      url: request.href,
      origin: request.origin,
      title: view.title,
      organisation: this.#options.organisationAt(request.origin),
      fields: [...view.fields],
      controls: [...view.controls],
      inClientWindow: true,
    };
    if (view.error !== undefined) page.error = view.error;
    return page;
  }
}
