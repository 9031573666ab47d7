/**
 * Picks the driver a run uses, from the `--client` value:
 * - `reference`: the bundled reference client, in process (fast, no browser);
 * - `ui`: the reference client's web UI, driven through Chromium by role and accessible name;
 * - `ui:URL`: any web client already served at URL (on this machine) that honours docs/ui-contract.md.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { InProcessDriver } from './in-process.ts';
import type { ClientDriver } from './types.ts';
import { ExternalUi, ReferenceClientUi, UiDriver } from './ui.ts';

export const DRIVER_NAMES = ['reference', 'ui', 'ui:URL'] as const;

export type ClientSpec = { kind: 'reference' } | { kind: 'ui' } | { kind: 'ui-url'; url: string };

/** Reads a `--client` value; throws an Error whose message says what is accepted. */
export function parseClientSpec(value: string): ClientSpec {
  if (value === 'reference') return { kind: 'reference' };
  if (value === 'ui') return { kind: 'ui' };
  if (value.startsWith('ui:')) {
    const url = URL.parse(value.slice(3));
    if (!url || !['http:', 'https:'].includes(url.protocol) || !isLoopback(url.hostname)) {
      throw new Error(
        `"${value}": ui:URL takes an http(s) URL on this machine (127.0.0.1, localhost or [::1])`,
      );
    }
    return { kind: 'ui-url', url: url.href };
  }
  throw new Error(`unknown client "${value}"; expected one of ${DRIVER_NAMES.join(', ')}`);
}

export function needsBrowser(spec: ClientSpec): boolean {
  return spec.kind !== 'reference';
}

export interface DriverResources {
  /** The scenario's browser context, for drivers that need a browser. */
  browserContext?: BrowserContext;
  /** A blank page of that context, opened and prepared ahead of time (see preparePage in ui.ts). */
  page?: Page;
}

export function createDriver(value: string, resources: DriverResources = {}): ClientDriver {
  const spec = parseClientSpec(value);
  if (spec.kind === 'reference') return new InProcessDriver();
  const context = resources.browserContext;
  if (!context) throw new Error(`the "${value}" client needs a browser context`);
  const app = spec.kind === 'ui' ? new ReferenceClientUi() : new ExternalUi(spec.url);
  return new UiDriver({ context, app, ...(resources.page ? { page: resources.page } : {}) });
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
