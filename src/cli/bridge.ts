/**
 * `connector-conformance bridge webdriver`: serves ccdp/1 on 127.0.0.1 and performs each session and
 * action through a WebDriver session on the client's UI, read by a UI map (docs/bridge.md). The first
 * line on stdout says where: `ccdp/1 listening on http://127.0.0.1:PORT`. Runs until SIGTERM/SIGINT.
 */

import { readFile } from 'node:fs/promises';
import { bridgeBackend } from '../bridge/backend.ts';
import { loadUiMap, UiMapError } from '../bridge/ui-map.ts';
import { missingDependency } from '../optional-dependency.ts';
import { ccdpHandler } from '../protocol/server.ts';
import { InputError } from './flags.ts';
import type { BridgeWebDriverFlags } from './program.ts';
import { serveUntilStopped } from './serve-ccdp.ts';

const VERSION = /^\d+(\.\d+){0,3}$/;

export async function bridgeWebDriverCommand(flags: BridgeWebDriverFlags): Promise<number> {
  const missing = missingDependency('webdriver');
  if (missing !== undefined) throw new InputError(missing);
  if (flags.webdriver === undefined) throw new InputError('--webdriver: missing (the WebDriver server URL)');
  const webdriver = URL.parse(flags.webdriver);
  if (webdriver === null || !/^https?:$/.test(webdriver.protocol) || webdriver.port === '') {
    throw new InputError(
      `--webdriver: expected an http URL with a port, e.g. http://127.0.0.1:4723/ (got "${flags.webdriver}")`,
    );
  }
  if (flags.capabilities === undefined) throw new InputError('--capabilities: missing (a JSON file)');
  const capabilities = await readCapabilities(flags.capabilities);
  if (flags.uiMap === undefined) throw new InputError('--ui-map: missing (a YAML file)');
  let map: Awaited<ReturnType<typeof loadUiMap>>;
  try {
    map = await loadUiMap(flags.uiMap);
  } catch (error) {
    if (error instanceof UiMapError) throw new InputError(`--ui-map ${error.message}`);
    throw error;
  }
  const platform = flags.platform ?? map.client.platform;
  if (platform !== 'windows' && platform !== 'macos') {
    throw new InputError(
      `--platform: expected windows or macos, here or as client.platform in the UI map (got "${platform ?? ''}")`,
    );
  }
  const clientVersion = flags.clientVersion ?? map.client.version;
  if (clientVersion === undefined || !VERSION.test(clientVersion)) {
    throw new InputError(
      `--client-version: expected a version like 4.7, here or as client.version in the UI map (got "${clientVersion ?? ''}")`,
    );
  }
  const port = flags.port ?? '0';
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    throw new InputError(`--port: expected a port from 0 (any free one) to 65535 (got "${port}")`);
  }
  return serveUntilStopped(
    ccdpHandler(bridgeBackend({ webdriver, capabilities, map, platform, clientVersion })),
    Number(port),
  );
}

async function readCapabilities(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `--capabilities ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--capabilities ${file}: not JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(`--capabilities ${file}: expected a JSON object of W3C capabilities`);
  }
  return data as Record<string, unknown>;
}
