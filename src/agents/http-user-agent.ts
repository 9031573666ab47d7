/**
 * A browser stand-in with no browser: node's fetch with manual redirects, RFC 6265 cookies
 * (origin-cookies.ts), and an HTML reader that sees a page the way a person does (html-page.ts: title,
 * heading, labelled fields, buttons, links, alerts). It only ever contacts loopback addresses.
 */
import {
  fieldLabels,
  type HtmlPage,
  isSubmitButton,
  normaliseLabel,
  readPage,
  signInForm,
} from './html-page.ts';
import { OriginCookies } from './origin-cookies.ts';
import {
  refusalInRedirect,
  refusalPage,
  type SignInPage,
  type SignInResult,
  type UserAgent,
} from './types.ts';

export interface HttpUserAgentOptions {
  /** Per request, including reading its body; 10000 when absent. */
  timeoutMs?: number;
  /**
   * Whether a redirect that leaves the identity provider is sent (true, as a browser does) or only
   * reported, as a client's embedded web view does that catches its own redirect URI.
   */
  deliverRedirects?: boolean;
}

/**
 * open() found no sign-in page: the identity provider sent the agent straight back to the client (an
 * existing session, or an authorization request it refused). The agent delivered that redirect.
 */
export class RedirectedToClientError extends Error {
  readonly url: string;
  readonly status: number;

  constructor(opened: string, url: string, status: number) {
    super(
      `open(${opened}): no sign-in page appeared; the identity provider redirected to ${url} ` +
        `(delivered, status ${status})`,
    );
    this.name = 'RedirectedToClientError';
    this.url = url;
    this.status = status;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export class HttpUserAgent implements UserAgent {
  readonly #timeoutMs: number;
  readonly #deliverRedirects: boolean;
  readonly #cookies = new OriginCookies();
  #current: { url: URL; document: HtmlPage } | undefined;

  constructor(options: HttpUserAgentOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#deliverRedirects = options.deliverRedirects ?? true;
  }

  async open(url: string): Promise<SignInPage> {
    const target = parseUrl(url, `open(${url})`);
    this.#current = undefined;
    const landing = await this.#navigate({ method: 'GET', url: target }, target.origin, `open(${url})`);
    if (landing.kind === 'left') {
      throw (
        refusalInRedirect(url, landing.url) ??
        new RedirectedToClientError(url, landing.url.href, landing.status)
      );
    }
    const document = readPage(landing.html);
    if (landing.status < 200 || landing.status > 299) {
      const detail = document.alert ?? document.title;
      const refused = refusalPage(url, landing.url, landing.status, detail);
      if (refused) throw refused;
      throw new Error(
        `open(${url}): ${landing.url.href} answered ${landing.status}${detail ? `: ${detail}` : ''}`,
      );
    }
    this.#current = { url: landing.url, document };
    return toSignInPage(landing.url, document);
  }

  async signIn(credentials: { username: string; password: string }): Promise<SignInResult> {
    const current = this.#requirePage('signIn');
    const where = `signIn on ${current.url.href}`;
    const found = signInForm(current.document);
    if (!found) {
      const fields = fieldLabels(current.document);
      throw new Error(
        `${where}: no form with Username and Password fields (fields: ${fields.length ? fields.join(', ') : 'none'})`,
      );
    }
    const { form, username, password } = found;
    const submitters = form.controls.filter(isSubmitButton);
    const submitter =
      submitters.find((control) => normaliseLabel(control.text) === 'sign in') ?? submitters[0];

    const body = new URLSearchParams();
    for (const control of form.controls) {
      if (!control.name || control.disabled) continue;
      if (control === username) body.append(control.name, credentials.username);
      else if (control === password) body.append(control.name, credentials.password);
      else if (isSubmitButton(control) || control.type === 'button' || control.type === 'reset') {
        if (control === submitter) body.append(control.name, control.value);
      } else if (control.type === 'checkbox' || control.type === 'radio') {
        if (control.checked) body.append(control.name, control.value || 'on');
      } else if (control.type !== 'file') body.append(control.name, control.value);
    }

    const action = parseUrl(form.action ? resolve(form.action, current.url, where) : current.url.href, where);
    if (form.method === 'post') {
      return this.#follow(
        {
          method: 'POST',
          url: action,
          body: body.toString(),
          contentType: 'application/x-www-form-urlencoded',
        },
        current.url.origin,
        where,
      );
    }
    action.search = body.toString();
    return this.#follow({ method: 'GET', url: action }, current.url.origin, where);
  }

  async cancel(): Promise<SignInResult> {
    const current = this.#requirePage('cancel');
    const where = `cancel on ${current.url.href}`;
    const link = current.document.links.find((candidate) => normaliseLabel(candidate.text) === 'cancel');
    if (!link) {
      const controls = current.document.controls;
      throw new Error(
        `${where}: no Cancel link (controls: ${controls.length ? controls.join(', ') : 'none'})`,
      );
    }
    const target = parseUrl(resolve(link.href, current.url, where), where);
    return this.#follow({ method: 'GET', url: target }, current.url.origin, where);
  }

  async close(): Promise<void> {
    this.#current = undefined;
    this.#cookies.clear();
  }

  #requirePage(action: string): { url: URL; document: HtmlPage } {
    if (!this.#current) throw new Error(`${action}: no identity-provider page is open; call open(url) first`);
    return this.#current;
  }

  async #follow(request: HttpRequest, idpOrigin: string, where: string): Promise<SignInResult> {
    const landing = await this.#navigate(request, idpOrigin, where);
    if (landing.kind === 'left') {
      this.#current = undefined;
      return { kind: 'redirected', url: landing.url.href, status: landing.status };
    }
    const document = readPage(landing.html);
    this.#current = { url: landing.url, document };
    return { kind: 'page', page: toSignInPage(landing.url, document) };
  }

  /**
   * Sends the request and follows redirects. A redirect that leaves the identity provider's origin goes
   * to the client's redirect URI: the agent delivers it with one GET, as a browser would, and stops
   * (or, with `deliverRedirects: false`, stops before it with the status of the redirect).
   */
  async #navigate(first: HttpRequest, idpOrigin: string, where: string): Promise<Landing> {
    let request = first;
    let redirectStatus = 0;
    for (let hop = 0; ; hop++) {
      assertLoopback(request.url, hop === 0 ? where : `${where}: redirect`);
      if (hop > 0 && request.url.origin !== idpOrigin && !this.#deliverRedirects) {
        return { kind: 'left', url: request.url, status: redirectStatus };
      }
      const response = await this.#send(request);
      await this.#cookies.store(request.url, response.headers.getSetCookie());

      if (hop > 0 && request.url.origin !== idpOrigin) {
        await discard(response);
        return { kind: 'left', url: request.url, status: response.status };
      }

      if (REDIRECT_STATUSES.has(response.status)) {
        await discard(response);
        const location = response.headers.get('location');
        if (!location) {
          throw new Error(
            `${where}: ${request.url.href} answered ${response.status} with no Location header`,
          );
        }
        if (hop === MAX_REDIRECTS) throw new Error(`${where}: more than ${MAX_REDIRECTS} redirects`);
        redirectStatus = response.status;
        const next = parseUrl(resolve(location, request.url, where), `${where}: redirect`);
        // 307 and 308 repeat the request; the others become a GET, as browsers do.
        const keepsMethod = response.status === 307 || response.status === 308;
        request = keepsMethod ? { ...request, url: next } : { method: 'GET', url: next };
        continue;
      }

      const type = response.headers.get('content-type') ?? '';
      if (!/^\s*(text\/html|application\/xhtml\+xml)\b/i.test(type)) {
        await discard(response);
        throw new Error(
          `${where}: ${request.method} ${request.url.href} answered ${response.status} with ` +
            `${type ? `content type ${type}` : 'no content type'}, not an HTML page`,
        );
      }
      const html = await this.#read(response, request);
      return { kind: 'page', url: request.url, status: response.status, html };
    }
  }

  async #send(request: HttpRequest): Promise<Response> {
    const headers: Record<string, string> = {
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
      'user-agent': 'connector-conformance-http-user-agent',
    };
    const cookie = await this.#cookies.header(request.url);
    if (cookie) headers.cookie = cookie;
    if (request.contentType) headers['content-type'] = request.contentType;
    try {
      return await fetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw this.#networkError(request, error);
    }
  }

  async #read(response: Response, request: HttpRequest): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw this.#networkError(request, error);
    }
  }

  #networkError(request: HttpRequest, error: unknown): Error {
    const what = `${request.method} ${request.url.href}`;
    if (error instanceof Error && error.name === 'TimeoutError') {
      return new Error(`${what} timed out after ${this.#timeoutMs} ms`, { cause: error });
    }
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    return new Error(`${what} failed: ${cause}`, { cause: error });
  }
}

interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  body?: string;
  contentType?: string;
}

type Landing =
  | { kind: 'page'; url: URL; status: number; html: string }
  | { kind: 'left'; url: URL; status: number };

function parseUrl(value: string, where: string): URL {
  const url = URL.parse(value);
  if (!url) throw new Error(`${where}: not a URL: ${value}`);
  return url;
}

function resolve(reference: string, base: URL, where: string): string {
  const url = URL.parse(reference, base.href);
  if (!url) throw new Error(`${where}: cannot resolve ${reference} against ${base.href}`);
  return url.href;
}

function assertLoopback(url: URL, where: string): void {
  if ((url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname)) return;
  throw new Error(
    `${where}: refusing to contact ${url.href}; the agent only contacts http(s) on 127.0.0.1, localhost or [::1]`,
  );
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function toSignInPage(url: URL, document: HtmlPage): SignInPage {
  const page: SignInPage = {
    url: url.href,
    origin: url.origin,
    title: document.title,
    organisation: document.organisation,
    fields: fieldLabels(document),
    controls: [...document.controls],
  };
  if (document.alert) page.error = document.alert;
  return page;
}
