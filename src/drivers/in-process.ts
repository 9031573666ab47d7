/** The bundled reference client, run in this process: the fast default driver. */
import type { ReferenceClientDeps, ReferenceClientSettings } from '../../client/index.ts';
import { ReferenceClientSession } from './reference-session.ts';
import type { ClientAction, ClientDriver, ClientView, SessionOptions, WaitOptions } from './types.ts';
import { ViewNotShown } from './view-not-shown.ts';

const DEFAULT_TIMEOUT_MS = 5000;

export class InProcessDriver implements ClientDriver {
  readonly name = 'reference';
  readonly #session: ReferenceClientSession;

  /** `deps` replaces the client's policy API or sign-in, for the harness's own tests. */
  constructor(deps: ReferenceClientDeps = {}, settings: ReferenceClientSettings = {}) {
    this.#session = new ReferenceClientSession(deps, settings);
  }

  async start(options: SessionOptions): Promise<void> {
    await this.#session.start(options);
  }

  async view(): Promise<ClientView> {
    return this.#session.client.view();
  }

  act(action: ClientAction): Promise<void> {
    return this.#session.client.act(action);
  }

  /**
   * The client runs in this process, so the driver knows when it has finished what it was asked:
   * once its queue is drained, a view that does not match will not change by itself, and the wait
   * ends at once instead of at the timeout.
   */
  async waitForView(predicate: (view: ClientView) => boolean, options: WaitOptions): Promise<ClientView> {
    const client = this.#session.client;
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
      throw new ViewNotShown(options.description, why, view);
    } finally {
      clearTimeout(timer);
    }
  }

  async restart(): Promise<void> {
    await this.#session.restart();
  }

  async stop(): Promise<void> {
    await this.#session.stop();
  }

  async evidence(): Promise<{ log: string[] }> {
    return { log: this.#session.log };
  }
}
