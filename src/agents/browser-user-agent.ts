/**
 * The user agent as a real browser: Chromium takes over the window the client opened for the sign-in
 * (or opens the URL itself), reads the identity provider's page by role and accessible name, signs in,
 * and follows the redirect to the client's loopback listener. Like the HTTP agent, it only ever
 * navigates to loopback addresses: a navigation elsewhere is blocked and reported.
 */
import type { BrowserContext, Page, Request, Response } from 'playwright-core';
import { isDisabled, parseAriaSnapshot, textOf } from '../browser/aria-snapshot.ts';
import { RedirectedToClientError } from './http-user-agent.ts';
import {
  refusalInRedirect,
  refusalPage,
  type SignInPage,
  type SignInResult,
  type UserAgent,
} from './types.ts';

export interface BrowserUserAgentOptions {
  /** The scenario's browser context: where the client's sign-in window opens. The caller closes it. */
  context: BrowserContext;
  /** Per page load or wait; 10000 when absent. */
  timeoutMs?: number;
  /** How long open() waits for the client's sign-in window to appear before opening one; 1000 when absent. */
  popupTimeoutMs?: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SIGN_IN = /^\s*sign in\s*$/i;
const CANCEL = /^\s*cancel\s*$/i;
const USERNAME = /^\s*username\s*$/i;
const PASSWORD = /^\s*password\s*$/i;

interface CurrentPage {
  page: Page;
  /** The identity provider's origin: leaving it means the redirect back to the client. */
  origin: string;
}

export class BrowserUserAgent implements UserAgent {
  readonly #context: BrowserContext;
  readonly #timeoutMs: number;
  readonly #popupTimeoutMs: number;
  /** Pages this agent opened or adopted (it closes them), each guarded against leaving loopback. */
  readonly #pages = new Set<Page>();
  /** Top-level URLs each page of the context navigated to, since the agent exists. */
  readonly #visited = new WeakMap<Page, Set<string>>();
  /** Navigations the guard blocked, by URL. */
  readonly #refused = new Set<string>();
  #current: CurrentPage | undefined;
  readonly #onRequest = (request: Request) => {
    const page = topLevelPage(request);
    if (page === undefined) return;
    let visited = this.#visited.get(page);
    if (visited === undefined) {
      visited = new Set();
      this.#visited.set(page, visited);
    }
    visited.add(request.url());
  };

  constructor(options: BrowserUserAgentOptions) {
    this.#context = options.context;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#popupTimeoutMs = options.popupTimeoutMs ?? 1000;
    this.#context.on('request', this.#onRequest);
  }

  /** The identity-provider page the agent is on, if any. */
  get page(): Page | undefined {
    return this.#current?.page;
  }

  async open(url: string): Promise<SignInPage> {
    const where = `open(${url})`;
    const target = parseUrl(url, where);
    assertLoopback(target, where);
    this.#current = undefined;
    const timeout = this.#timeoutMs;

    let page = await this.#adopt(target);
    let status: number;
    if (page !== undefined) {
      await this.#guard(page);
      try {
        // Until the identity provider's page (or its answer to the client, or an error) has loaded in it.
        await page.waitForURL(
          (current) => isFor(target, current.href) || current.protocol === 'chrome-error:',
          {
            waitUntil: 'domcontentloaded',
            timeout,
          },
        );
      } catch (error) {
        throw new Error(
          `${where}: the sign-in window the client opened shows ${page.url()}, not the identity provider's page, after ${timeout}ms`,
          { cause: error },
        );
      }
      status = await documentStatus(page);
    } else {
      page = await this.#context.newPage();
      await this.#guard(page);
      let response: Response | null;
      try {
        response = await page.goto(target.href, { waitUntil: 'domcontentloaded', timeout });
      } catch (error) {
        throw new Error(`${where}: ${this.#failure(error, target.href)}`, { cause: error });
      }
      status = response?.status() ?? (await documentStatus(page));
    }

    const landed = parseUrl(page.url(), where);
    if (landed.protocol === 'chrome-error:') {
      throw new Error(
        `${where}: the browser could not load the page (${status ? `status ${status}` : 'no response'})`,
      );
    }
    if (landed.origin !== target.origin) {
      throw refusalInRedirect(url, landed) ?? new RedirectedToClientError(url, landed.href, status);
    }
    if (status < 200 || status > 299) {
      const shown = await this.#read(page, where, false);
      const detail = shown.error ?? shown.title;
      const refused = refusalPage(url, landed, status, detail);
      if (refused) throw refused;
      throw new Error(`${where}: ${landed.href} answered ${status}${detail ? `: ${detail}` : ''}`);
    }
    const shown = await this.#read(page, where, true);
    this.#current = { page, origin: target.origin };
    this.#visited.delete(page);
    return shown;
  }

  async signIn(credentials: { username: string; password: string }): Promise<SignInResult> {
    const current = this.#requirePage('signIn');
    const { page } = current;
    const where = `signIn on ${page.url()}`;
    const username = page.getByRole('textbox', { name: USERNAME });
    let password = page.getByRole('textbox', { name: PASSWORD });
    if ((await password.count()) === 0) password = page.getByLabel(PASSWORD);
    const submit = page.getByRole('button', { name: SIGN_IN });
    for (const [locator, what] of [
      [username, 'a Username field'],
      [password, 'a Password field'],
      [submit, 'a Sign In button'],
    ] as const) {
      const count = await locator.count();
      if (count !== 1) {
        const shown = await this.#read(page, where, false);
        throw new Error(
          `${where}: ${count === 0 ? 'no' : `${count} elements for`} ${what.replace(/^a /, '')} ` +
            `(fields: ${list(shown.fields)}; controls: ${list(shown.controls)})`,
        );
      }
    }
    const timeout = this.#timeoutMs;
    await username.fill(credentials.username, { timeout });
    await password.fill(credentials.password, { timeout });
    return this.#follow(current, where, () => submit.click({ timeout }));
  }

  async cancel(): Promise<SignInResult> {
    const current = this.#requirePage('cancel');
    const { page } = current;
    const where = `cancel on ${page.url()}`;
    const link = page.getByRole('link', { name: CANCEL });
    const count = await link.count();
    if (count !== 1) {
      const shown = await this.#read(page, where, false);
      throw new Error(
        `${where}: ${count === 0 ? 'no' : `${count} elements for the`} Cancel link (controls: ${list(shown.controls)})`,
      );
    }
    return this.#follow(current, where, () => link.click({ timeout: this.#timeoutMs }));
  }

  async close(): Promise<void> {
    this.#current = undefined;
    this.#context.off('request', this.#onRequest);
    const pages = [...this.#pages];
    this.#pages.clear();
    await Promise.all(
      pages.map((page) => (page.isClosed() ? undefined : page.close().catch(() => undefined))),
    );
  }

  /**
   * The window the client opened for `target`, if there is one: a page that navigated to exactly that
   * URL, else one showing it, else one on its origin (the identity provider moved on to its sign-in
   * page). If none is open yet but some other page is (a client that may still open its window), the
   * first page of the context to navigate there within popupTimeoutMs. Pages the agent already used
   * count only when they navigated to `target` since.
   */
  async #adopt(target: URL): Promise<Page | undefined> {
    const found = this.#bestMatch(target);
    if (found !== undefined) return found;
    const others = this.#context.pages().filter((page) => !page.isClosed() && !this.#pages.has(page));
    if (others.length === 0) return undefined;

    const controller = new AbortController();
    const { signal } = controller;
    const timeout = this.#popupTimeoutMs;
    const matches = (url: string) => isFor(target, url);
    // Listen first, then look again: a window that starts loading in between is not missed.
    const committed = (page: Page) =>
      matches(page.url())
        ? Promise.resolve(page)
        : page
            .waitForURL((url) => matches(url.href), { waitUntil: 'commit', timeout, signal })
            .then(() => page);
    const waits = [
      // A new window: it may show the URL at once, or about:blank until its first document commits.
      this.#context
        .waitForEvent('page', {
          predicate: (page) => matches(page.url()) || page.url() === 'about:blank',
          timeout,
          signal,
        })
        .then(committed),
      // A window already open that navigates there (a named window the client reuses).
      this.#context
        .waitForEvent('request', {
          predicate: (request) => {
            const page = topLevelPage(request);
            return page !== undefined && matches(request.url());
          },
          timeout,
          signal,
        })
        .then((request) => topLevelPage(request)),
      ...others.filter((page) => page.url() === 'about:blank').map(committed),
    ];
    try {
      return this.#bestMatch(target) ?? (await Promise.any(waits).catch(() => undefined));
    } finally {
      controller.abort();
      for (const wait of waits) wait.catch(() => undefined);
    }
  }

  #bestMatch(target: URL): Page | undefined {
    let best: { page: Page; score: number } | undefined;
    for (const page of this.#context.pages()) {
      if (page.isClosed()) continue;
      const current = URL.parse(page.url());
      let score = 0;
      if (this.#visited.get(page)?.has(target.href)) score = 3;
      else if (this.#pages.has(page)) continue;
      else if (current?.href === target.href || isAnswerTo(target, page.url())) score = 2;
      else if (current?.origin === target.origin) score = 1;
      // Later pages win ties: the newest window is the one the client just opened.
      if (score > 0 && (best === undefined || score >= best.score)) best = { page, score };
    }
    return best?.page;
  }

  /** Remembers the page as the agent's and blocks its navigations to anything but loopback. */
  async #guard(page: Page): Promise<void> {
    if (this.#pages.has(page)) return;
    this.#pages.add(page);
    await page.route(
      (url) => !isLoopback(url),
      (route) => {
        const request = route.request();
        if (request.isNavigationRequest()) this.#refused.add(request.url());
        return route.abort('blockedbyclient');
      },
    );
  }

  /**
   * Performs `act` (a click that submits or leaves the page) and waits for its outcome: a new document
   * (on the identity provider: a page; elsewhere: the client's redirect URI, delivered once its
   * response has finished), or an error appearing on the page without a new document.
   */
  async #follow(current: CurrentPage, where: string, act: () => Promise<void>): Promise<SignInResult> {
    const { page, origin } = current;
    const timeout = this.#timeoutMs;
    const controller = new AbortController();
    const { signal } = controller;
    let document: Response | undefined;
    const onResponse = (response: Response) => {
      const request = response.request();
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) document = response;
    };
    page.on('response', onResponse);
    const alertShownBefore = (await page.getByRole('alert').count()) > 0;
    const outcomes: Promise<'loaded' | 'alert'>[] = [
      page.waitForEvent('domcontentloaded', { timeout, signal }).then(() => 'loaded' as const),
      page
        .waitForEvent('requestfailed', {
          predicate: (request) => request.isNavigationRequest() && request.frame() === page.mainFrame(),
          timeout,
          signal,
        })
        .then((request) => {
          throw new Error(`${where}: ${this.#failedNavigation(request)}`);
        }),
    ];
    // An error shown in place (no new document) ends the wait too, when none was shown before.
    if (!alertShownBefore) {
      outcomes.push(
        page
          .getByRole('alert')
          .first()
          .waitFor({ state: 'visible', timeout, signal })
          .then(() => 'alert' as const),
      );
    }
    try {
      await act();
      let outcome: 'loaded' | 'alert';
      try {
        outcome = await Promise.race(outcomes);
      } catch (error) {
        if (signal.aborted || !(error instanceof Error) || error.message.startsWith(where)) throw error;
        throw new Error(`${where}: no page loaded and no error appeared within ${timeout}ms`, {
          cause: error,
        });
      }
      if (outcome === 'alert') await page.waitForLoadState('domcontentloaded', { timeout });
      const landed = parseUrl(page.url(), where);
      if (landed.origin !== origin) {
        this.#current = undefined;
        const status = document !== undefined ? document.status() : await documentStatus(page);
        await document?.finished();
        return { kind: 'redirected', url: landed.href, status };
      }
      const shown = await this.#read(page, where, true);
      return { kind: 'page', page: shown };
    } finally {
      controller.abort();
      page.off('response', onResponse);
      this.#visited.delete(page);
      for (const outcome of outcomes) outcome.catch(() => undefined);
    }
  }

  /** The page as a person sees it; with `settled`, waits first for a form, a heading or an error. */
  async #read(page: Page, where: string, settled: boolean): Promise<SignInPage> {
    const timeout = this.#timeoutMs;
    if (settled) {
      try {
        await page
          .getByRole('textbox')
          .or(page.getByRole('heading', { level: 1 }))
          .or(page.getByRole('alert'))
          .first()
          .waitFor({ state: 'visible', timeout });
      } catch (error) {
        throw new Error(
          `${where}: ${page.url()} shows no sign-in form, heading or error within ${timeout}ms`,
          {
            cause: error,
          },
        );
      }
    }
    const url = parseUrl(page.url(), where);
    const nodes = parseAriaSnapshot(await page.ariaSnapshot({ timeout }));
    const shown: SignInPage = {
      url: url.href,
      origin: url.origin,
      title: await page.title(),
      organisation: '',
      fields: [],
      controls: [],
    };
    let headingSeen = false;
    const visit = (node: (typeof nodes)[number]): void => {
      if (node.role === 'heading' && node.attributes.level === '1' && !headingSeen) {
        headingSeen = true;
        shown.organisation = node.name ?? textOf(node);
      } else if (node.role === 'textbox' && node.name && !isDisabled(node)) {
        shown.fields.push(node.name);
      } else if ((node.role === 'button' || node.role === 'link') && node.name && !isDisabled(node)) {
        shown.controls.push(node.name);
      } else if (node.role === 'alert') {
        const text = textOf(node);
        if (text && shown.error === undefined) shown.error = text;
        return;
      }
      for (const child of node.children) visit(child);
    };
    for (const node of nodes) visit(node);
    return shown;
  }

  #requirePage(action: string): CurrentPage {
    const current = this.#current;
    if (current === undefined || current.page.isClosed()) {
      throw new Error(`${action}: no identity-provider page is open; call open(url) first`);
    }
    return current;
  }

  #failedNavigation(request: Request): string {
    if (this.#refused.has(request.url())) {
      return `refusing to navigate to ${request.url()}; the agent only contacts http(s) on 127.0.0.1, localhost or [::1]`;
    }
    return `the browser could not load ${request.url()}: ${request.failure()?.errorText ?? 'unknown error'}`;
  }

  #failure(error: unknown, url: string): string {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    if (message.includes('ERR_BLOCKED_BY_CLIENT')) {
      const refused = [...this.#refused].at(-1) ?? url;
      return `refusing to navigate to ${refused}; the agent only contacts http(s) on 127.0.0.1, localhost or [::1]`;
    }
    return message;
  }
}

/**
 * Whether a window showing `url` is the one opened for `target`: it is on the identity provider's
 * origin, or it already holds the provider's answer to this very request (the client's redirect URI
 * with the request's state).
 */
function isFor(target: URL, url: string): boolean {
  return URL.parse(url)?.origin === target.origin || isAnswerTo(target, url);
}

function isAnswerTo(target: URL, url: string): boolean {
  const state = target.searchParams.get('state');
  const answer = URL.parse(url);
  return (
    state !== null &&
    answer !== null &&
    answer.origin !== target.origin &&
    answer.searchParams.get('state') === state
  );
}

/** The page whose top-level document `request` loads, if it is such a request. */
function topLevelPage(request: Request): Page | undefined {
  try {
    if (!request.isNavigationRequest()) return undefined;
    const frame = request.frame();
    const page = frame.page();
    return frame === page.mainFrame() ? page : undefined;
  } catch {
    return undefined; // a service worker's request has no frame
  }
}

/** The HTTP status of the page's current document (Navigation Timing), 0 when unknown. */
async function documentStatus(page: Page): Promise<number> {
  const status: unknown = await page
    .evaluate("performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0")
    .catch(() => 0);
  return typeof status === 'number' ? status : 0;
}

function isLoopback(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
}

function assertLoopback(url: URL, where: string): void {
  if (isLoopback(url)) return;
  throw new Error(
    `${where}: refusing to navigate to ${url.href}; the agent only contacts http(s) on 127.0.0.1, localhost or [::1]`,
  );
}

function parseUrl(value: string, where: string): URL {
  const url = URL.parse(value);
  if (!url) throw new Error(`${where}: not a URL: ${value}`);
  return url;
}

function list(items: string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}
