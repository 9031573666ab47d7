/** Debian's chromedriver on a free loopback port, with capabilities for the harness's Chromium. */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromiumArgs, findChromium } from '../../src/browser/chromium.ts';
import { closedPort } from './ccdp.ts';
import { tempDir } from './cli.ts';

export const CHROMEDRIVER = '/usr/bin/chromedriver';

export interface Chromedriver {
  url: string;
  /** A JSON file of capabilities: the harness's Chromium, headless, reaching loopback only. */
  capabilitiesFile: string;
  capabilities: Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startChromedriver(): Promise<Chromedriver> {
  const port = await closedPort();
  const child = spawn(CHROMEDRIVER, [`--port=${port}`, '--allowed-ips=127.0.0.1'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  try {
    await ready(child, url);
  } catch (error) {
    child.kill();
    throw error;
  }
  const binary = findChromium();
  if (binary === undefined) throw new Error('no Chromium found (connector-conformance install-deps)');
  const capabilities = {
    browserName: 'chrome',
    'goog:chromeOptions': {
      binary,
      // The harness's own switches (loopback only), and no popups: the user agent opens the sign-in.
      args: [
        binary.includes('headless-shell') ? '--headless' : '--headless=new',
        '--no-sandbox',
        ...chromiumArgs().filter((arg) => arg !== '--no-sandbox'),
        '--block-new-web-contents',
      ],
    },
  };
  const capabilitiesFile = path.join(await tempDir('capabilities-'), 'chromium.json');
  await writeFile(capabilitiesFile, JSON.stringify(capabilities));
  return {
    url,
    capabilities,
    capabilitiesFile,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

/** Resolves once GET /status says ready; rejects when chromedriver exits first. */
async function ready(child: ChildProcess, url: string): Promise<void> {
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`${CHROMEDRIVER} exited before it answered ${url}status`);
    try {
      const status = (await (await fetch(`${url}status`)).json()) as { value?: { ready?: boolean } };
      if (status.value?.ready === true) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
