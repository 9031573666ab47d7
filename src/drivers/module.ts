/**
 * `--client module:PATH`: a vendor's own driver. The module (JavaScript, or TypeScript where Node
 * strips types) exports a factory of ClientDrivers, as its default export or as `createDriver`; the
 * run calls it once per scenario, as it creates the bundled drivers. Its client is taken to run in
 * another process, so the policy API is served on a loopback listener (its URL in SessionOptions).
 */
import { pathToFileURL } from 'node:url';
import type { Target } from '../catalog/types.ts';
import type { ClientDriver } from './types.ts';

/** What the run tells a driver factory about the scenario it makes a driver for. */
export interface DriverFactoryContext {
  /** The client build under test: SessionOptions says the same again at `start`. */
  target: Target;
  /** How long the client may take to answer one request (`--action-timeout`), in ms. */
  actionTimeoutMs: number;
}

export type ClientDriverFactory = (context: DriverFactoryContext) => ClientDriver | Promise<ClientDriver>;

/** The module could not be used as a driver; the message is one line naming the file. */
export class DriverModuleError extends Error {
  override name = 'DriverModuleError';
}

const factories = new Map<string, Promise<ClientDriverFactory>>();

/** The factory exported by the module at `file` (an absolute path), imported once per process. */
export function loadDriverFactory(file: string): Promise<ClientDriverFactory> {
  let factory = factories.get(file);
  if (factory === undefined) {
    factory = importFactory(file);
    factories.set(file, factory);
  }
  return factory;
}

async function importFactory(file: string): Promise<ClientDriverFactory> {
  let exports: { default?: unknown; createDriver?: unknown };
  try {
    exports = await import(pathToFileURL(file).href);
  } catch (error) {
    const reason =
      (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' ? 'not found' : firstLine(error);
    throw new DriverModuleError(`${file}: the driver module could not be loaded: ${reason}`);
  }
  const factory = exports.createDriver ?? exports.default;
  if (typeof factory !== 'function') {
    throw new DriverModuleError(
      `${file}: a driver module exports a function that returns a ClientDriver, as its default export or as createDriver`,
    );
  }
  return factory as ClientDriverFactory;
}

/** A driver from the module's factory, checked to have the ClientDriver methods. */
export async function createModuleDriver(file: string, context: DriverFactoryContext): Promise<ClientDriver> {
  const driver = await (await loadDriverFactory(file))(context);
  const missing = REQUIRED_METHODS.filter(
    (method) => typeof (driver as unknown as Record<string, unknown>)?.[method] !== 'function',
  );
  if (missing.length > 0) {
    throw new DriverModuleError(
      `${file}: the driver its factory returned has no ${missing.join(', ')} method`,
    );
  }
  return driver;
}

const REQUIRED_METHODS = ['start', 'view', 'act', 'waitForView', 'restart', 'stop', 'evidence'] as const;

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0] ?? '';
}
