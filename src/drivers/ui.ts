/**
 * The `ui` driver: a client's user interface in Chromium, read and acted on only through roles and
 * accessible names (docs/ui-contract.md). Any web client that honours the contract can be driven; the
 * reference client's own web UI (client/ui/) is one.
 *
 * Waiting, never sleeping. The page reports every DOM change to the driver (a MutationObserver installed
 * before any page script, calling a binding the driver exposes), and the driver sees the page's requests
 * (event streams and web sockets aside, as they stay open by design). So:
 * - after an action, a window that declares its busy state (an `aria-busy` attribute on the dialog,
 *   docs/ui-contract.md) is done the moment it is no longer `aria-busy="true"`; the driver waits for that
 *   inside the page. The reference page declares it.
 * - after an action on any other page, the driver waits until the page is still: no request in flight,
 *   and neither a DOM change nor a request starting or ending for `quietMs` (50 ms). A window that
 *   changes, one that shows an error, and one that does nothing visible all end the wait as soon as the
 *   page is still. This needs no knowledge of how a client talks to its back end.
 * Both are bounded by the action timeout: a page that never goes still is taken as it is then.
 * - waitForView re-reads the window after every DOM change until the predicate holds or the timeout
 *   passes.
 */
import type { BrowserContext, CDPSession, Locator, Page, Request } from 'playwright-core';
import type { ReferenceClientDeps, ReferenceClientSettings } from '../../client/index.ts';
import { type ServedClientUi, serveClientUi } from '../../client/ui/server.ts';
import { ClientActionError } from '../verdict.ts';
import { ReferenceClientSession } from './reference-session.ts';
import type { ClientAction, ClientDriver, ClientView, SessionOptions, WaitOptions } from './types.ts';
import { UI_NAMES, viewFromSnapshot } from './ui-view.ts';
import { ViewNotShown } from './view-not-shown.ts';

/** A client UI the driver opens in the browser. */
export interface UiApplication {
  /** Starts the client for a scenario; resolves with the URL of its UI. */
  start(options: SessionOptions): Promise<string>;
  /** Quits and starts the client again, keeping its data; resolves with the URL of its UI. */
  restart(): Promise<string>;
  /** Quits the client and drops its data. */
  stop(): Promise<void>;
  evidence(): Promise<{ log: string[] }>;
}

export interface UiDriverOptions {
  /** The scenario's browser context; the caller owns it (and its tracing) and closes it. */
  context: BrowserContext;
  /**
   * A page of `context` to show the client in, owned by the caller (who may reuse it after stop());
   * by default the driver opens one when the client starts and closes it when it stops.
   */
  page?: Page;
  app: UiApplication;
  /** How long an action, or a window to appear, may take; 5000 by default. */
  actionTimeoutMs?: number;
  /** How long the page must stay still after an action for it to count as processed; 50 by default. */
  quietMs?: number;
}

const DEFAULT_ACTION_TIMEOUT_MS = 5000;
const DEFAULT_QUIET_MS = 50;
/** Requests that stay open by design: they never make a page busy. */
const STREAMING = new Set(['eventsource', 'websocket']);

/** Called by the page on every DOM change (a binding the driver exposes before any page script runs). */
const CHANGE_BINDING = '__connectorConformanceUiChanged';
const INSTALL_OBSERVER = `new MutationObserver(() => {
  globalThis.${CHANGE_BINDING}?.();
}).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });`;

/** Who hears each prepared page's DOM changes: the driver showing the client in it. */
const changeListeners = new WeakMap<Page, () => void>();
const prepared = new WeakMap<Page, Promise<void>>();

/**
 * Readies a page for the driver: the DOM-change binding and observer, installed before any page script
 * runs. Opening and preparing a page costs a renderer process start; a caller that opens the next
 * scenario's page ahead of time takes that off the scenario's clock.
 */
export function preparePage(page: Page): Promise<void> {
  let done = prepared.get(page);
  if (done === undefined) {
    done = (async () => {
      await page.exposeBinding(CHANGE_BINDING, ({ page: source }) => changeListeners.get(source)?.());
      await page.addInitScript({ content: INSTALL_OBSERVER });
    })();
    prepared.set(page, done);
  }
  return done;
}

/**
 * In the page, after an action: "done" once no dialog is aria-busy="true", "timeout" if one still is
 * after `timeoutMs`, "undeclared" when the dialog has no aria-busy attribute at all.
 */
const UNTIL_NOT_BUSY = `(timeoutMs) => new Promise((resolve) => {
  if (document.querySelector('[role="dialog"][aria-busy]') === null) return resolve('undeclared');
  const busy = () => document.querySelector('[role="dialog"][aria-busy="true"]') !== null;
  if (!busy()) return resolve('done');
  const finish = (outcome) => {
    observer.disconnect();
    clearTimeout(timer);
    resolve(outcome);
  };
  const observer = new MutationObserver(() => {
    if (!busy()) finish('done');
  });
  observer.observe(document, { subtree: true, childList: true, attributeFilter: ['aria-busy'] });
  const timer = setTimeout(() => finish('timeout'), timeoutMs);
})`;

export class UiDriver implements ClientDriver {
  readonly name = 'ui';
  readonly #context: BrowserContext;
  readonly #app: UiApplication;
  readonly #actionTimeoutMs: number;
  readonly #quietMs: number;
  #page: Page | undefined;
  /** The caller's page, if one was given. */
  readonly #given: Page | undefined;
  /** Stops following the page's requests and DOM changes. */
  #untrack: (() => void) | undefined;
  /** The last screenshot, and how many DOM changes the page had reported when it was taken. */
  #shot: { png: Buffer; changes: number } | undefined;
  /** The page's requests in flight (streams aside). */
  readonly #inFlight = new Set<Request>();
  readonly #idleWaiters = new Set<() => void>();
  /** DOM changes the page reported, and who waits for the next change or request activity. */
  #domChanges = 0;
  readonly #activityWaiters = new Set<() => void>();

  constructor(options: UiDriverOptions) {
    this.#context = options.context;
    this.#given = options.page;
    this.#app = options.app;
    this.#actionTimeoutMs = options.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
    this.#quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
  }

  /** The browser page showing the client, while it runs. */
  get page(): Page | undefined {
    return this.#page;
  }

  async start(options: SessionOptions): Promise<void> {
    if (this.#page !== undefined) throw new Error('the client UI is already open; stop it first');
    const url = await this.#app.start(options);
    try {
      const page = this.#given ?? (await this.#context.newPage());
      this.#page = page;
      this.#untrack = this.#track(page);
      await preparePage(page);
      await this.#load(page, url);
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  async view(): Promise<ClientView> {
    return this.#read(this.#actionTimeoutMs);
  }

  async act(action: ClientAction): Promise<void> {
    const page = this.#running();
    const view = await this.view();
    const window = `the ${view.title} window`;
    const dialog = page.getByRole('dialog');
    let target: Locator;
    let what: string;
    switch (action.type) {
      case 'click': {
        what = `the control "${action.control}"`;
        if (action.tenant === undefined) {
          if (!view.controls.includes(action.control)) {
            throw new ClientActionError(
              `${window} offers no control "${action.control}" (controls: ${list(view.controls)})`,
            );
          }
          target = controlIn(dialog, action.control);
        } else {
          const tenant = view.tenants.find((candidate) => candidate.name === action.tenant);
          if (tenant === undefined) {
            throw new ClientActionError(
              `${window} lists no tenant "${action.tenant}" (tenants: ${list(view.tenants.map((t) => t.name))})`,
            );
          }
          if (!tenant.controls.includes(action.control)) {
            throw new ClientActionError(
              `${window}: the tenant "${tenant.name}" offers no control "${action.control}" ` +
                `(its controls: ${list(tenant.controls)})`,
            );
          }
          what = `the control "${action.control}" of the tenant "${tenant.name}"`;
          target = controlIn(await tenantItem(dialog, tenant.name, tenant.role), action.control);
        }
        break;
      }
      case 'fill':
        what = `the field "${action.field}"`;
        if (!view.fields.includes(action.field)) {
          throw new ClientActionError(
            `${window} offers no field "${action.field}" (fields: ${list(view.fields)})`,
          );
        }
        target = dialog.getByRole('textbox', { name: action.field, exact: true });
        break;
      case 'select':
        what = `the option "${action.option}"`;
        if (!view.options.includes(action.option)) {
          throw new ClientActionError(
            `${window} offers no option "${action.option}" (options: ${list(view.options)})`,
          );
        }
        target = dialog
          .getByRole('radiogroup', { name: UI_NAMES.partnerChoice, exact: true })
          .getByRole('radio', { name: action.option, exact: true });
        break;
    }
    // The view lists only enabled controls, so what is left to fear is a duplicate: Playwright's strict
    // locators refuse to act on two elements, and the count then says how many there are.
    const deadline = performance.now() + this.#actionTimeoutMs;
    const timeout = this.#actionTimeoutMs;
    try {
      if (action.type === 'click') await target.click({ timeout });
      else if (action.type === 'fill') await target.fill(action.value, { timeout });
      else await target.check({ timeout });
    } catch (error) {
      const count = await target.count().catch(() => 1);
      if (count > 1) {
        throw new ClientActionError(`${window} shows ${count} elements for ${what}; the contract wants one`);
      }
      throw new ClientActionError(`${window}: could not act on ${what}: ${firstLine(error)}`);
    }
    await this.#settle(page, deadline);
  }

  async waitForView(predicate: (view: ClientView) => boolean, options: WaitOptions): Promise<ClientView> {
    const page = this.#running();
    const timeoutMs = options.timeoutMs ?? this.#actionTimeoutMs;
    const deadline = performance.now() + timeoutMs;
    let last: ClientView | undefined;
    let problem: string | undefined;
    for (;;) {
      const seen = this.#domChanges;
      const remaining = deadline - performance.now();
      try {
        const view = await this.#read(Math.max(1, Math.min(remaining, this.#actionTimeoutMs)));
        if (predicate(view)) return view;
        last = view;
        problem = undefined;
      } catch (error) {
        if (page.isClosed()) throw error;
        problem = firstLine(error);
      }
      const left = deadline - performance.now();
      if (left <= 0) break;
      await this.#domChangeAfter(seen, left);
    }
    throw new ViewNotShown(options.description, `timed out after ${timeoutMs}ms`, last, problem);
  }

  async restart(): Promise<void> {
    const page = this.#running();
    const url = await this.#app.restart();
    await this.#load(page, url);
  }

  async stop(): Promise<void> {
    const page = this.#page;
    this.#page = undefined;
    this.#untrack?.();
    this.#untrack = undefined;
    this.#inFlight.clear();
    this.#notifyIdle();
    this.#activity();
    try {
      if (page !== undefined && page !== this.#given && !page.isClosed()) await page.close();
    } finally {
      await this.#app.stop();
    }
  }

  evidence(): Promise<{ log: string[] }> {
    return this.#app.evidence();
  }

  /** The page as it looks now (PNG); the last one again when the page reported no DOM change since. */
  async screenshot(): Promise<Buffer> {
    const page = this.#running();
    const changes = this.#domChanges;
    if (this.#shot?.changes === changes) return this.#shot.png;
    const png = await capture(page);
    this.#shot = { png, changes };
    return png;
  }

  async #load(page: Page, url: string): Promise<void> {
    const timeout = this.#actionTimeoutMs;
    if (withoutHash(page.url()) === withoutHash(url))
      await page.reload({ waitUntil: 'domcontentloaded', timeout });
    else await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
    try {
      await page.getByRole('dialog').first().waitFor({ state: 'visible', timeout });
    } catch (error) {
      throw new Error(`${url} shows no window (no visible element with role dialog) within ${timeout}ms`, {
        cause: error,
      });
    }
  }

  async #read(timeout: number): Promise<ClientView> {
    const page = this.#running();
    const dialogs = page.getByRole('dialog');
    let snapshot: string;
    try {
      snapshot = await dialogs.ariaSnapshot({ timeout });
    } catch (error) {
      const count = await dialogs.count().catch(() => 0);
      if (count === 0) {
        throw new Error(
          `${page.url()} shows no window (no visible element with role dialog) within ${timeout}ms`,
          {
            cause: error,
          },
        );
      }
      if (count > 1) {
        throw new Error(`${page.url()} shows ${count} windows (role dialog); the contract wants one`, {
          cause: error,
        });
      }
      throw error;
    }
    return viewFromSnapshot(snapshot, page.url());
  }

  /**
   * Waits until the page has processed an action: until its window is no longer aria-busy, when it
   * declares that state; else until nothing is in flight and no DOM change came for quietMs, with no
   * request starting or ending meanwhile. Gives up silently at `deadline` (the page may animate).
   */
  async #settle(page: Page, deadline: number): Promise<void> {
    const timeoutMs = Math.round(Math.max(1, deadline - performance.now()));
    const declared = await evaluateQuietly(page, `(${UNTIL_NOT_BUSY})(${timeoutMs})`).catch(
      () => 'undeclared',
    );
    if (declared !== 'undeclared') return;
    for (;;) {
      if (page.isClosed()) return;
      if (!(await this.#whenIdle(deadline - performance.now()))) return;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return;
      const still = await this.#stillFor(Math.min(this.#quietMs, remaining));
      if (still && this.#inFlight.size === 0) return;
    }
  }

  /** Resolves true after `ms` with no DOM change and no request starting or ending; false at the first. */
  #stillFor(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (still: boolean) => {
        clearTimeout(timer);
        this.#activityWaiters.delete(onActivity);
        resolve(still);
      };
      const onActivity = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      this.#activityWaiters.add(onActivity);
    });
  }

  /** Resolves once the page reports a DOM change after the `seen`-th, or when `timeoutMs` passes. */
  #domChangeAfter(seen: number, timeoutMs: number): Promise<void> {
    if (this.#domChanges !== seen) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#activityWaiters.delete(onActivity);
        resolve();
      };
      const onActivity = () => {
        if (this.#domChanges !== seen || this.#page === undefined || this.#page.isClosed()) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#activityWaiters.add(onActivity);
    });
  }

  #activity(): void {
    for (const waiter of [...this.#activityWaiters]) waiter();
  }

  /** Resolves true once no request of the page is in flight, false if `timeoutMs` passes first. */
  #whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.#inFlight.size === 0) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (idle: boolean) => {
        clearTimeout(timer);
        this.#idleWaiters.delete(onIdle);
        resolve(idle);
      };
      const onIdle = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#idleWaiters.add(onIdle);
    });
  }

  #notifyIdle(): void {
    if (this.#inFlight.size > 0) return;
    for (const waiter of [...this.#idleWaiters]) waiter();
  }

  /** Follows the page's requests and DOM changes; returns the function that stops it. */
  #track(page: Page): () => void {
    const started = (request: Request) => {
      if (STREAMING.has(request.resourceType())) return;
      this.#inFlight.add(request);
      this.#activity();
    };
    const ended = (request: Request) => {
      if (!this.#inFlight.delete(request)) return;
      this.#notifyIdle();
      this.#activity();
    };
    const closed = () => {
      this.#inFlight.clear();
      this.#notifyIdle();
      this.#activity();
    };
    page.on('request', started);
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
    page.on('close', closed);
    changeListeners.set(page, () => {
      this.#domChanges += 1;
      this.#activity();
    });
    return () => {
      page.off('request', started);
      page.off('requestfinished', ended);
      page.off('requestfailed', ended);
      page.off('close', closed);
      changeListeners.delete(page);
    };
  }

  #running(): Page {
    const page = this.#page;
    if (page === undefined || page.isClosed())
      throw new Error('the client UI is not open; call start() first');
    return page;
  }
}

/** A button or link named `name` inside `scope`. */
function controlIn(scope: Locator, name: string): Locator {
  return scope.getByRole('button', { name, exact: true }).or(scope.getByRole('link', { name, exact: true }));
}

/** The tenant's list item: by accessible name, else (a list item without one) by its text. */
async function tenantItem(dialog: Locator, tenant: string, role: 'main' | 'partner'): Promise<Locator> {
  const list = dialog.getByRole('list', {
    name: role === 'main' ? UI_NAMES.organisationList : UI_NAMES.partnerList,
    exact: true,
  });
  const named = list.getByRole('listitem', { name: tenant, exact: true });
  if ((await named.count()) > 0) return named;
  return list.getByRole('listitem').filter({ has: dialog.page().getByText(tenant, { exact: true }) });
}

function withoutHash(url: string): string {
  const parsed = URL.parse(url);
  if (parsed === null) return url;
  parsed.hash = '';
  return parsed.href;
}

function list(items: string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** The bundled reference client with its web UI (client/ui/), served on 127.0.0.1. */
export class ReferenceClientUi implements UiApplication {
  readonly #session: ReferenceClientSession;
  #served: ServedClientUi | undefined;
  /**
   * Start, restart and stop one after another: a stop that comes while the UI starts (an interrupted
   * run) must close the server that start is opening, or its listener keeps the process alive.
   */
  #queue: Promise<unknown> = Promise.resolve();

  /** `deps` replaces the client's policy API or sign-in, for the harness's own tests. */
  constructor(deps: ReferenceClientDeps = {}, settings: ReferenceClientSettings = {}) {
    this.#session = new ReferenceClientSession(deps, settings);
  }

  start(options: SessionOptions): Promise<string> {
    return this.#serially(async () => {
      const client = await this.#session.start(options);
      try {
        this.#served = await serveClientUi(client, {
          platform: options.platform,
          clientVersion: options.clientVersion,
        });
      } catch (error) {
        await this.#session.stop();
        throw error;
      }
      return this.#served.url;
    });
  }

  restart(): Promise<string> {
    return this.#serially(async () => {
      const served = this.#served;
      this.#served = undefined;
      await served?.close();
      const client = await this.#session.restart();
      const { platform, clientVersion } = this.#session.options;
      this.#served = await serveClientUi(client, { platform, clientVersion });
      return this.#served.url;
    });
  }

  stop(): Promise<void> {
    return this.#serially(async () => {
      const served = this.#served;
      this.#served = undefined;
      try {
        await served?.close();
      } finally {
        await this.#session.stop();
      }
    });
  }

  async evidence(): Promise<{ log: string[] }> {
    return { log: this.#session.log };
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

/**
 * A web client already running at a URL (on this machine), enrolled and reset by whoever runs it: the
 * driver only opens it. restart() reloads the page.
 */
export class ExternalUi implements UiApplication {
  readonly #url: string;
  readonly #log: string[] = [];

  constructor(url: string) {
    this.#url = url;
  }

  async start(options: SessionOptions): Promise<string> {
    this.#log.push(`start: the web client at ${this.#url} (${options.platform} ${options.clientVersion})`);
    return this.#url;
  }

  async restart(): Promise<string> {
    this.#log.push(`restart: reloading ${this.#url}`);
    return this.#url;
  }

  async stop(): Promise<void> {
    this.#log.push('stop');
  }

  async evidence(): Promise<{ log: string[] }> {
    return { log: [...this.#log] };
  }
}

const devtoolsSessions = new WeakMap<Page, Promise<CDPSession>>();

/**
 * The page's own DevTools session. What the driver sends through it is not a Playwright call, so a
 * trace records no DOM snapshot for it: the driver's own waiting and capturing stay out of the trace,
 * which shows what the scenario did to the client, and cost the browser no snapshot.
 */
function devtools(page: Page): Promise<CDPSession> {
  let session = devtoolsSessions.get(page);
  if (session === undefined) {
    session = page.context().newCDPSession(page);
    devtoolsSessions.set(page, session);
  }
  return session;
}

/** The value of `expression` in the page's main frame, awaited when it is a promise; throws if it throws. */
async function evaluateQuietly(page: Page, expression: string): Promise<unknown> {
  const { result, exceptionDetails } = await (await devtools(page)).send('Runtime.evaluate', {
    expression,
    awaitPromise: true,
    returnByValue: true,
  });
  if (exceptionDetails !== undefined)
    throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value;
}

/**
 * The page's viewport as PNG, through the DevTools protocol with the fast PNG encoder
 * (`Page.captureScreenshot`, `optimizeForSpeed`): about 50 ms on this project's machine against 70 ms
 * for `page.screenshot()`, which also hides the caret and waits for the fonts of every frame first.
 * The files are about twice as large.
 */
async function capture(page: Page): Promise<Buffer> {
  const { data } = await (await devtools(page)).send('Page.captureScreenshot', {
    format: 'png',
    optimizeForSpeed: true,
  });
  return Buffer.from(data, 'base64');
}
