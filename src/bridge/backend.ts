/**
 * The WebDriver bridge as a ccdp/1 backend: each session opens a WebDriver session (the
 * capabilities as given) on the client's UI and reads it by the UI map. For the map's
 * `reference-web-ui` the bridge starts the bundled reference client and its web UI itself, per
 * session, as the `ui` driver does, and passes the reference client's defects through.
 */

import { DEFECTS } from '../../client/core/defects.ts';
import type { ReferenceClientDeps } from '../../client/index.ts';
import { CLIENT_NAME } from '../../client/protocol/server.ts';
import { ExternalUi, ReferenceClientUi } from '../drivers/ui.ts';
import type { Platform } from '../fixtures/types.ts';
import type { CcdpBackend } from '../protocol/server.ts';
import { KeptWebDriverSession } from './kept-session.ts';
import { type BridgedApp, BridgeSession } from './session.ts';
import type { UiMap } from './ui-map.ts';
import type { WebDriverClient } from './window-reader.ts';

export interface BridgeOptions {
  /** The WebDriver server, e.g. http://127.0.0.1:4723/ (Appium) or http://127.0.0.1:9515/ (chromedriver). */
  webdriver: URL;
  /** The W3C capabilities of each new WebDriver session. */
  capabilities: Record<string, unknown>;
  map: UiMap;
  platform: Platform;
  clientVersion: string;
  actionTimeoutMs?: number;
  /** Replaces the reference client's policy API or sign-in (reference-web-ui), for the harness's own tests. */
  deps?: ReferenceClientDeps;
}

export function bridgeBackend(options: BridgeOptions): CcdpBackend {
  const { map } = options;
  const reference = map.start.app === 'reference-web-ui';
  const kept =
    map.webdriverSession === 'kept' ? new KeptWebDriverSession(() => connectWebDriver(options)) : undefined;
  return {
    client: {
      name:
        map.client.name ??
        (reference ? `${CLIENT_NAME} web UI, through WebDriver` : 'Zscaler Client Connector'),
      platform: options.platform,
      version: options.clientVersion,
    },
    defects: reference ? DEFECTS.map((defect) => defect.name) : [],
    async start(request) {
      const app = appOf(map, options.deps);
      const session = new BridgeSession({
        map,
        connect: () => kept?.take() ?? connectWebDriver(options),
        ...(kept === undefined ? {} : { release: (driver: WebDriverClient) => kept.give(driver) }),
        ...(app === undefined ? {} : { app }),
        ...(options.actionTimeoutMs === undefined ? {} : { actionTimeoutMs: options.actionTimeoutMs }),
      });
      await session.start(request);
      return session;
    },
    close: async () => kept?.close(),
  };
}

function appOf(map: UiMap, deps: ReferenceClientDeps = {}): BridgedApp | undefined {
  if (map.start.app === 'reference-web-ui') {
    const { authentication } = map.start;
    return new ReferenceClientUi(deps, authentication === undefined ? {} : { authentication });
  }
  if (map.start.app === 'url') return new ExternalUi(map.start.url);
  return undefined;
}

/** A new WebDriver session at the given server: never one WebdriverIO would start or download itself. */
export async function connectWebDriver(
  options: Pick<BridgeOptions, 'webdriver' | 'capabilities'>,
): Promise<WebDriverClient> {
  // WebdriverIO logs every command at "info" unless told otherwise, on the bridge's stdout.
  process.env.WDIO_LOG_LEVEL ??= 'silent';
  const { default: WebDriver } = await import('webdriver');
  const url = options.webdriver;
  return WebDriver.newSession({
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    hostname: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    path: url.pathname,
    // Classic WebDriver only: no BiDi web socket the bridge would not use.
    capabilities: { 'wdio:enforceWebDriverClassic': true, ...options.capabilities },
    logLevel: 'silent',
    logLevels: { '@wdio/utils': 'silent', webdriver: 'silent' },
    connectionRetryCount: 0,
  });
}
