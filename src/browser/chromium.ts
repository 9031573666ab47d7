/**
 * The harness's Chromium: Debian's package (or CHROMIUM_PATH, or Playwright's own download), launched
 * so that it reaches nothing but loopback and does no background work of its own.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserType } from 'playwright-core';

// playwright-core is loaded only when a browser is wanted: an in-process run never pays for it.
const require = createRequire(import.meta.url);
const chromium = (): BrowserType => (require('playwright-core') as typeof import('playwright-core')).chromium;

/**
 * The viewport a client's UI is shown in: about the size of the Client Connector's own window, so
 * that a step's screenshot is the window and little else. Chromium renders every screenshot's pixels
 * again; at this size a capture takes about 30 ms on this project's machine, against 48 ms at
 * 1000×720 (BENCHMARKS.md).
 */
export const CLIENT_WINDOW = { width: 480, height: 660 } as const;

export class BrowserUnavailableError extends Error {
  override name = 'BrowserUnavailableError';
  constructor() {
    super(
      "no Chromium found: install Debian's chromium-headless-shell or chromium (apt-get install chromium-headless-shell) or set CHROMIUM_PATH",
    );
  }
}

/**
 * Chromium's old headless mode as its own program: no browser UI layers, about half the CPU of the full
 * browser in headless mode for the same pages. Playwright's own headless runs use it too.
 */
export const HEADLESS_SHELLS = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
];
export const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export interface FindChromiumOptions {
  /** A headless browser will do (the default): the headless shell comes first. */
  headless?: boolean;
  /** For tests: whether a file exists. */
  exists?: (file: string) => boolean;
}

/**
 * CHROMIUM_PATH; else Debian's headless shell (headless only), then Debian's or Ubuntu's chromium, then
 * Playwright's downloaded one; undefined if none exists.
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  { headless = true, exists = existsSync }: FindChromiumOptions = {},
): string | undefined {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) return exists(configured) ? configured : undefined;
  const candidates = headless ? [...HEADLESS_SHELLS, ...SYSTEM_CHROMIUMS] : SYSTEM_CHROMIUMS;
  for (const candidate of candidates) if (exists(candidate)) return candidate;
  try {
    const downloaded = chromium().executablePath();
    return downloaded && exists(downloaded) ? downloaded : undefined;
  } catch {
    return undefined;
  }
}

/** The command-line switches the harness's Chromium runs with. */
export function chromiumArgs(): string[] {
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return [
    // Chromium's sandbox refuses to start as root.
    ...(runningAsRoot ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    // Every host name fails to resolve except 127.0.0.1: the browser reaches nothing but loopback.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  ];
}

export async function launchChromium(options: { headless?: boolean } = {}): Promise<Browser> {
  const headless = options.headless ?? true;
  const executablePath = findChromium(process.env, { headless });
  if (executablePath === undefined) throw new BrowserUnavailableError();
  return chromium().launch({
    executablePath,
    headless,
    args: chromiumArgs(),
    // The harness stops its browser itself when interrupted, once the step in flight is let go
    // (src/runner/interruption.ts); Playwright's own handlers would close it under that step.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
