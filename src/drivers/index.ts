/**
 * Picks the driver a run uses, from the `--client` value:
 * - `reference`: the bundled reference client, in process (fast, no browser);
 * - `ui`: the reference client's web UI, driven through Chromium by role and accessible name;
 * - `ui:URL`: any web client already served at URL (on this machine) that honours docs/ui-contract.md;
 * - `remote:URL`: a client already serving the driver protocol ccdp/1 at URL (docs/driver-protocol.md);
 * - `remote`: the same, with one client process per worker started from `--client-command`;
 * - `image:NAME[:TAG]`: the same, with the client in a container of that local image, started per
 *   worker with testcontainers (client-container.ts);
 * - `module:PATH`: a vendor's own driver, the ClientDriver factory the module at PATH exports
 *   (module.ts).
 */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { DriverFactoryContext } from './module.ts';
import type { RemoteDriverOptions } from './remote.ts';
import type { ClientDriver } from './types.ts';

export const DRIVER_NAMES = [
  'reference',
  'ui',
  'ui:URL',
  'remote:URL',
  'remote (with --client-command)',
  'image:NAME[:TAG]',
  'module:PATH',
] as const;

export type ClientSpec =
  | { kind: 'reference' }
  | { kind: 'ui' }
  | { kind: 'ui-url'; url: string }
  | { kind: 'remote-url'; url: string }
  | { kind: 'remote-command' }
  | { kind: 'remote-image'; image: string }
  | { kind: 'module'; file: string };

/** Reads a `--client` value; throws an Error whose message says what is accepted. */
export function parseClientSpec(value: string): ClientSpec {
  if (value === 'reference') return { kind: 'reference' };
  if (value === 'ui') return { kind: 'ui' };
  if (value === 'remote') return { kind: 'remote-command' };
  if (value.startsWith('ui:'))
    return { kind: 'ui-url', url: loopbackUrl(value, 'ui:URL', ['http:', 'https:']) };
  if (value.startsWith('image:')) {
    const image = value.slice('image:'.length);
    if (!IMAGE_NAME.test(image)) {
      throw new Error(
        `"${value}": image:NAME[:TAG] takes a local image name, e.g. image:connector-conformance:latest`,
      );
    }
    return { kind: 'remote-image', image };
  }
  if (value.startsWith('module:')) {
    const file = value.slice('module:'.length);
    if (file === '')
      throw new Error(
        `"${value}": module:PATH takes the path of a driver module, e.g. module:./my-driver.js`,
      );
    return { kind: 'module', file: path.resolve(file) };
  }
  if (value.startsWith('remote:')) {
    return { kind: 'remote-url', url: loopbackUrl(value, 'remote:URL', ['http:']).replace(/\/+$/, '') };
  }
  throw new Error(`unknown client "${value}"; expected one of ${DRIVER_NAMES.join(', ')}`);
}

/** An image reference as docker takes it: [registry/]name[:tag][@digest], lower case. */
const IMAGE_NAME = /^[a-z0-9]+([._/-][a-z0-9]+)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

function loopbackUrl(value: string, form: string, protocols: string[]): string {
  const url = URL.parse(value.slice(value.indexOf(':') + 1));
  if (!url || !protocols.includes(url.protocol) || !isLoopback(url.hostname)) {
    const scheme = protocols.length > 1 ? 'http(s)' : 'http';
    throw new Error(
      `"${value}": ${form} takes an ${scheme} URL on this machine (127.0.0.1, localhost or [::1])`,
    );
  }
  return url.href;
}

export function needsBrowser(spec: ClientSpec): boolean {
  return spec.kind === 'ui' || spec.kind === 'ui-url';
}

/** Clients reached through ccdp/1. */
export function isRemote(
  spec: ClientSpec,
): spec is Extract<ClientSpec, { kind: 'remote-url' | 'remote-command' | 'remote-image' }> {
  return spec.kind === 'remote-url' || spec.kind === 'remote-command' || spec.kind === 'remote-image';
}

export interface DriverResources {
  /** The scenario's browser context, for drivers that need a browser. */
  browserContext?: BrowserContext;
  /** A blank page of that context, opened and prepared ahead of time (see preparePage in ui.ts). */
  page?: Page;
  /** Where the remote client answers, for the remote drivers. */
  remote?: RemoteDriverOptions;
  /** What a vendor's driver factory is told, for `module:` drivers. */
  factoryContext?: DriverFactoryContext;
}

/** Each driver's module is loaded by the first run that uses it. */
export async function createDriver(value: string, resources: DriverResources = {}): Promise<ClientDriver> {
  const spec = parseClientSpec(value);
  if (spec.kind === 'reference') return new (await import('./in-process.ts')).InProcessDriver();
  if (spec.kind === 'module') {
    if (!resources.factoryContext) throw new Error(`the "${value}" client needs its factory's context`);
    return (await import('./module.ts')).createModuleDriver(spec.file, resources.factoryContext);
  }
  if (isRemote(spec)) {
    if (!resources.remote) throw new Error(`the "${value}" client needs the address of a running client`);
    return new (await import('./remote.ts')).RemoteDriver(resources.remote);
  }
  const context = resources.browserContext;
  if (!context) throw new Error(`the "${value}" client needs a browser context`);
  const { ExternalUi, ReferenceClientUi, UiDriver } = await import('./ui.ts');
  const app = spec.kind === 'ui' ? new ReferenceClientUi() : new ExternalUi(spec.url);
  return new UiDriver({ context, app, ...(resources.page ? { page: resources.page } : {}) });
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
