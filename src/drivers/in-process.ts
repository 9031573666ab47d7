/** The bundled reference client, run in this process: the fast default driver. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferenceClient, type ReferenceClientDeps } from '../../client/index.ts';
import { describeView } from './describe.ts';
import type { ClientAction, ClientDriver, ClientView, SessionOptions, WaitOptions } from './types.ts';

const DEFAULT_TIMEOUT_MS = 5000;

export class InProcessDriver implements ClientDriver {
  readonly name = 'reference';
  #client: ReferenceClient | undefined;
  #options: SessionOptions | undefined;
  #dataDir: string | undefined;
  readonly #log: string[] = [];
  readonly #deps: ReferenceClientDeps;

  /** `deps` replaces the client's policy API or sign-in, for the harness's own tests. */
  constructor(deps: ReferenceClientDeps = {}) {
    this.#deps = deps;
  }

  async start(options: SessionOptions): Promise<void> {
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
  }

  async view(): Promise<ClientView> {
    return this.#running().view();
  }

  act(action: ClientAction): Promise<void> {
    return this.#running().act(action);
  }

  /**
   * The client runs in this process, so the driver knows when it has finished what it was asked:
   * once its queue is drained, a view that does not match will not change by itself, and the wait
   * ends at once instead of at the timeout.
   */
  async waitForView(predicate: (view: ClientView) => boolean, options: WaitOptions): Promise<ClientView> {
    const client = this.#running();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([client.settled(), timedOut]);
      const view = client.view();
      if (predicate(view)) return view;
      const why = outcome === 'timeout' ? `timed out after ${timeoutMs}ms` : 'the client is idle';
      throw new Error(`${why} without showing ${options.description}; ${describeView(view)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async restart(): Promise<void> {
    const client = this.#running();
    const options = this.#options;
    const dataDir = this.#dataDir;
    if (options === undefined || dataDir === undefined)
      throw new Error('the reference client was not started');
    await client.quit();
    this.#client = undefined;
    this.#client = await this.#startClient(options, dataDir);
  }

  async stop(): Promise<void> {
    const client = this.#client;
    const dataDir = this.#dataDir;
    this.#client = undefined;
    this.#dataDir = undefined;
    if (client !== undefined) await client.quit();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  }

  async evidence(): Promise<{ log: string[] }> {
    return { log: [...this.#log] };
  }

  #startClient(options: SessionOptions, dataDir: string): Promise<ReferenceClient> {
    return ReferenceClient.start({ ...options, dataDir, log: (line) => this.#log.push(line) }, this.#deps);
  }

  #running(): ReferenceClient {
    if (this.#client === undefined)
      throw new Error('the reference client is not running; call start() first');
    return this.#client;
  }
}
