/**
 * What one process keeps for every scenario of every target it runs: the simulated world and the
 * browser. Both start with the first scenario that needs them and stay up until the runner releases
 * them after its last target; scenarios get a fresh policy state and a fresh browser context each.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CLIENT_WINDOW, launchChromium } from '../browser/chromium.ts';
import { preparePage } from '../drivers/ui.ts';
import { type SimulatedWorld, startSimulatedWorld } from '../environment/simulated-world.ts';
import { settleAbandoned } from './interruption.ts';

let world: { fixturesDir: string; started: Promise<SimulatedWorld> } | undefined;
let current: SimulatedWorld | undefined;

/** The simulated world on `fixturesDir`, started on first use. */
export async function ensureSimulatedWorld(fixturesDir: string): Promise<SimulatedWorld> {
  if (world !== undefined && world.fixturesDir !== fixturesDir) {
    throw new Error(
      `the simulated world runs on ${world.fixturesDir}, not on ${fixturesDir}; release it first`,
    );
  }
  world ??= { fixturesDir, started: startSimulatedWorld({ fixturesDir }) };
  current = await world.started;
  return current;
}

/** The running simulated world; throws when no scenario started it. */
export function simulatedWorld(): SimulatedWorld {
  if (!current) throw new Error('the simulated world is not running');
  return current;
}

/** A scenario's browser context, and a page in it prepared for the ui driver when asked. */
export interface ScenarioBrowser {
  context: BrowserContext;
  page?: Page;
  /** Ends the scenario's use: closes a fresh context, or resets the worker's shared one. */
  release(): Promise<void>;
}

let browser: Promise<Browser> | undefined;
/** The worker's context and its page, kept from scenario to scenario and reset in between. */
let shared: Promise<{ context: BrowserContext; page?: Page }> | undefined;
/** The origins the shared context's pages requested since its last reset: their storage is cleared. */
const visited = new WeakMap<BrowserContext, Set<string>>();

/**
 * The browser for one scenario. By default the worker's one context, reset when the scenario ends:
 * every page but the kept one closed, the kept one back on about:blank, the cookies, the storage of
 * every origin its pages reached, and the cache cleared. A scenario's client UI is served on a new
 * port (a new origin), and the identity providers keep their sessions in cookies only, so nothing of
 * one scenario is visible to the next, and the renderer process a new context would start (most of a
 * UI scenario's browser time) is spent once per worker.
 * `fresh` opens a new context for the scenario instead and closes it after.
 */
export async function scenarioBrowser(options: {
  withPage: boolean;
  fresh: boolean;
}): Promise<ScenarioBrowser> {
  if (options.fresh) {
    const { context, page } = await openContext(options.withPage);
    return { context, ...(page ? { page } : {}), release: () => context.close() };
  }
  shared ??= openContext(options.withPage).then((opened) => {
    const origins = new Set<string>();
    visited.set(opened.context, origins);
    opened.context.on('request', (request) => {
      const { origin, protocol } = new URL(request.url());
      if (protocol === 'http:' || protocol === 'https:') origins.add(origin);
    });
    return opened;
  });
  let kept = await shared;
  if (options.withPage && (kept.page === undefined || kept.page.isClosed())) {
    const page = await kept.context.newPage();
    await preparePage(page);
    kept = { context: kept.context, page };
    shared = Promise.resolve(kept);
  }
  const { context } = kept;
  const page = options.withPage ? kept.page : undefined;
  return { context, ...(page ? { page } : {}), release: () => resetContext(context, page) };
}

async function openContext(withPage: boolean): Promise<{ context: BrowserContext; page?: Page }> {
  browser ??= launchChromium();
  const context = await (await browser).newContext({
    viewport: CLIENT_WINDOW,
    deviceScaleFactor: 1,
  });
  if (!withPage) return { context };
  const page = await context.newPage();
  await preparePage(page);
  return { context, page };
}

async function resetContext(context: BrowserContext, kept: Page | undefined): Promise<void> {
  await Promise.all(
    context
      .pages()
      .filter((page) => page !== kept)
      .map((page) => page.close()),
  );
  if (kept !== undefined && !kept.isClosed()) await kept.goto('about:blank');
  await Promise.all([context.clearCookies(), context.clearPermissions()]);
  const origins = visited.get(context) ?? new Set<string>();
  const page = kept ?? (origins.size > 0 ? await context.newPage() : undefined);
  if (page === undefined) return;
  const cdp = await context.newCDPSession(page);
  try {
    await Promise.all([
      cdp.send('Network.clearBrowserCache'),
      ...[...origins].map((origin) =>
        cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' }),
      ),
    ]);
    origins.clear();
  } finally {
    await cdp.detach();
    if (page !== kept) await page.close();
  }
}

/** How long the world waits, once the browser is closed, for steps an interruption let go. */
const ABANDONED_STEPS_WAIT_MS = 5000;

/**
 * Closes the browser and stops the simulated world, if they were started; the world last, once the
 * steps an interruption let go have ended (their browser calls fail as soon as it is closed).
 */
export async function releaseWorkerResources(): Promise<void> {
  const [startedWorld, launched] = [world?.started, browser];
  world = undefined;
  current = undefined;
  browser = undefined;
  shared = undefined;
  await (await launched?.catch(() => undefined))?.close();
  await settleAbandoned(ABANDONED_STEPS_WAIT_MS);
  await (await startedWorld?.catch(() => undefined))?.close();
}
