/** The bundled reference client, run in this process: the fast default driver. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferenceClient, type ReferenceClientDeps } from '../../client/index.ts';
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

  waitForView(predicate: (view: ClientView) => boolean, options: WaitOptions): Promise<ClientView> {
    const client = this.#running();
    const current = client.view();
    if (predicate(current)) return Promise.resolve(current);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<ClientView>((resolve, reject) => {
      const unsubscribe = client.onChange((view) => {
        let matched: boolean;
        try {
          matched = predicate(view);
        } catch (error) {
          settle();
          reject(error);
          return;
        }
        if (!matched) return;
        settle();
        resolve(view);
      });
      const timer = setTimeout(() => {
        settle();
        reject(
          new Error(
            `timed out after ${timeoutMs}ms waiting for ${options.description}; ${describeView(client.view())}`,
          ),
        );
      }, timeoutMs);
      function settle(): void {
        clearTimeout(timer);
        unsubscribe();
      }
    });
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

function describeView(view: ClientView): string {
  const tenants =
    view.tenants.length === 0
      ? 'none'
      : view.tenants.map((tenant) => `${tenant.name} (${tenant.role}, ZPA ${tenant.zpa})`).join(', ');
  return `the client shows: ${view.title}, error: ${view.error ?? 'none'}, tenants: ${tenants}`;
}
