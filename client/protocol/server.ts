/**
 * The reference client as a ccdp/1 server (docs/driver-protocol.md): one session at a time, each a
 * fresh ReferenceClientSession (own data directory). The protocol itself is src/protocol/server.ts;
 * this is its backend for the bundled client.
 */
import { DEFECTS } from '../../client/core/defects.ts';
import type { ReferenceClientDeps, ReferenceClientSettings } from '../../client/index.ts';
import { ReferenceClientSession } from '../../src/drivers/reference-session.ts';
import type { ClientAction } from '../../src/drivers/types.ts';
import type { Platform } from '../../src/fixtures/types.ts';
import type { SessionRequest, ViewResponse } from '../../src/protocol/ccdp.ts';
import {
  type CcdpBackend,
  type CcdpHandler,
  type CcdpSession,
  ccdpHandler,
} from '../../src/protocol/server.ts';

export {
  type CcdpHandler,
  type CcdpListener,
  ProtocolFailure,
  serveCcdp,
} from '../../src/protocol/server.ts';

export const CLIENT_NAME = 'Zscaler Client Connector (reference client)';

export interface ReferenceServerOptions {
  platform: Platform;
  clientVersion: string;
  /** Replaces the client's policy API or sign-in, for the harness's own tests. */
  deps?: ReferenceClientDeps;
  /** Applies to every client it starts (e.g. embedded authentication). */
  settings?: ReferenceClientSettings;
}

/** One running reference client; every change it reports counts as a new view. */
class ReferenceSession implements CcdpSession {
  readonly #reference: ReferenceClientSession;
  #serial = 0;
  readonly #waiters = new Set<() => void>();
  #unsubscribe: () => void = () => {};

  constructor(deps: ReferenceClientDeps, settings: ReferenceClientSettings) {
    this.#reference = new ReferenceClientSession(deps, settings);
  }

  async start(request: SessionRequest): Promise<void> {
    try {
      await this.#reference.start(request);
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.#follow();
  }

  /** Call after the client (re)started: every change it reports counts. */
  #follow(): void {
    this.#unsubscribe();
    this.#unsubscribe = this.#reference.client.onChange(() => this.#bump());
  }

  #bump(): void {
    this.#serial += 1;
    for (const wake of [...this.#waiters]) wake();
  }

  async read(): Promise<ViewResponse> {
    const client = this.#reference.client;
    return { serial: this.#serial, idle: client.idle, view: client.view() };
  }

  async next(after: number, busy: boolean, signal: AbortSignal): Promise<void> {
    if (this.#serial > after || signal.aborted) return;
    const client = this.#reference.client;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.#waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.#waiters.add(done);
      signal.addEventListener('abort', done);
      if (busy) client.settled().then(done, done);
    });
  }

  act(action: ClientAction): Promise<void> {
    return this.#reference.client.act(action);
  }

  async restart(): Promise<void> {
    await this.#reference.restart();
    this.#follow();
    this.#bump();
  }

  async stop(): Promise<void> {
    this.#unsubscribe();
    for (const wake of [...this.#waiters]) wake();
    await this.#reference.stop();
  }

  async evidence(): Promise<string[]> {
    return this.#reference.log;
  }
}

/** The reference client as a ccdp/1 backend. */
export function referenceClientBackend(options: ReferenceServerOptions): CcdpBackend {
  return {
    client: { name: CLIENT_NAME, version: options.clientVersion, platform: options.platform },
    defects: DEFECTS.map((defect) => defect.name),
    async start(request) {
      const session = new ReferenceSession(options.deps ?? {}, options.settings ?? {});
      await session.start(request);
      return session;
    },
  };
}

/** The protocol's request handler for the reference client; `serveCcdp` puts it on a listener. */
export function referenceClientHandler(options: ReferenceServerOptions): CcdpHandler {
  return ccdpHandler(referenceClientBackend(options));
}
