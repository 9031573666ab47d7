/**
 * One run of the bundled reference client as a driver needs it: started with a fresh data directory,
 * restarted on the same one (its state.json survives), stopped with the directory removed, and its log
 * kept. The in-process driver and the reference client's web UI both use it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ReferenceClient,
  type ReferenceClientDeps,
  type ReferenceClientSettings,
} from '../../client/index.ts';
import type { SessionOptions } from './types.ts';

export class ReferenceClientSession {
  #client: ReferenceClient | undefined;
  #options: SessionOptions | undefined;
  #dataDir: string | undefined;
  readonly #log: string[] = [];
  readonly #deps: ReferenceClientDeps;
  readonly #settings: ReferenceClientSettings;

  /**
   * `deps` replaces the client's policy API or sign-in, for the harness's own tests; `settings` apply
   * to every client it starts (e.g. embedded authentication).
   */
  constructor(deps: ReferenceClientDeps = {}, settings: ReferenceClientSettings = {}) {
    this.#deps = deps;
    this.#settings = settings;
  }

  /** The running client; throws when there is none. */
  get client(): ReferenceClient {
    if (this.#client === undefined)
      throw new Error('the reference client is not running; call start() first');
    return this.#client;
  }

  /** The options it was started with; throws when it was not started. */
  get options(): SessionOptions {
    if (this.#options === undefined) throw new Error('the reference client was not started');
    return this.#options;
  }

  /** Log lines so far (a copy). */
  get log(): string[] {
    return [...this.#log];
  }

  async start(options: SessionOptions): Promise<ReferenceClient> {
    if (this.#client !== undefined) throw new Error('the reference client is already running; stop it first');
    const dataDir = await mkdtemp(join(tmpdir(), 'ccc-'));
    this.#options = options;
    this.#dataDir = dataDir;
    try {
      this.#client = await this.#startClient(options, dataDir);
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      this.#dataDir = undefined;
      throw error;
    }
    return this.#client;
  }

  /** Quits the client and starts it again on the same data directory. */
  async restart(): Promise<ReferenceClient> {
    const client = this.client;
    const options = this.#options;
    const dataDir = this.#dataDir;
    if (options === undefined || dataDir === undefined)
      throw new Error('the reference client was not started');
    await client.quit();
    this.#client = undefined;
    this.#client = await this.#startClient(options, dataDir);
    return this.#client;
  }

  /** Quits the client, if running, and removes its data directory. */
  async stop(): Promise<void> {
    const client = this.#client;
    const dataDir = this.#dataDir;
    this.#client = undefined;
    this.#dataDir = undefined;
    if (client !== undefined) await client.quit();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  }

  #startClient(options: SessionOptions, dataDir: string): Promise<ReferenceClient> {
    return ReferenceClient.start(
      { ...options, ...this.#settings, dataDir, log: (line) => this.#log.push(line) },
      this.#deps,
    );
  }
}
