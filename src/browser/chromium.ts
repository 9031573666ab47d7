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

export class BrowserUnavailableError extends Error {
  override name = 'BrowserUnavailableError';
  constructor() {
    super("no Chromium found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH");
  }
}

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** CHROMIUM_PATH, then Debian's or Ubuntu's chromium, then Playwright's downloaded one; undefined if none exists. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) return existsSync(configured) ? configured : undefined;
  for (const candidate of SYSTEM_CHROMIUMS) if (existsSync(candidate)) return candidate;
  try {
    const downloaded = chromium().executablePath();
    return downloaded && existsSync(downloaded) ? downloaded : undefined;
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
  const executablePath = findChromium();
  if (executablePath === undefined) throw new BrowserUnavailableError();
  return chromium().launch({ executablePath, headless: options.headless ?? true, args: chromiumArgs() });
}
