/** This worker's Chromium: launched by the first scenario that needs it, closed after the run. */
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../src/browser/chromium.ts';

let launched: Promise<Browser> | undefined;

export async function newBrowserContext(): Promise<BrowserContext> {
  launched ??= launchChromium();
  const browser = await launched;
  return browser.newContext({ viewport: { width: 1000, height: 720 }, deviceScaleFactor: 1 });
}

export async function closeBrowser(): Promise<void> {
  const browser = launched;
  launched = undefined;
  await (await browser?.catch(() => undefined))?.close();
}
