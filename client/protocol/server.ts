/**
 * The reference client as a ccdp/1 server (docs/driver-protocol.md): one session at a time, each a
 * fresh ReferenceClientSession (own data directory), reached over HTTP+JSON on 127.0.0.1 only.
 *
 *   GET    /ccdp/1/status
 *   POST   /ccdp/1/sessions                    SessionRequest → 201 SessionResponse
 *   DELETE /ccdp/1/sessions/{id}               → 204
 *   GET    /ccdp/1/sessions/{id}/view          [?after=N&wait=MS] → ViewResponse (long poll)
 *   POST   /ccdp/1/sessions/{id}/actions       ProtocolAction → ViewResponse
 *   GET    /ccdp/1/sessions/{id}/evidence      → EvidenceResponse
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFECTS } from '../../client/core/defects.ts';
import type { ReferenceClientDeps } from '../../client/index.ts';
import { ReferenceClientSession } from '../../src/drivers/reference-session.ts';
import type { Platform } from '../../src/fixtures/types.ts';
import {
  BASE_PATH,
  ERROR_STATUS,
  type ErrorCode,
  MAX_WAIT_MS,
  PROTOCOL,
  type ProtocolAction,
  type SessionRequest,
  type StatusResponse,
  type ViewResponse,
} from '../../src/protocol/ccdp.ts';
import { validateMessage } from '../../src/protocol/schema.ts';
import { ClientActionError } from '../../src/verdict.ts';

export const CLIENT_NAME = 'Zscaler Client Connector (reference client)';

/** Largest request body accepted, in bytes. */
const MAX_BODY = 16 * 1024;

export interface ReferenceServerOptions {
  platform: Platform;
  clientVersion: string;
  /** Replaces the client's policy API or sign-in, for the harness's own tests. */
  deps?: ReferenceClientDeps;
}

/** A failure answered as a ccdp/1 error body. */
export class ProtocolFailure extends Error {
  override name = 'ProtocolFailure';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** One running client and what the view long poll needs. */
class Session {
  readonly id = randomUUID();
  readonly reference: ReferenceClientSession;
  serial = 0;
  readonly #waiters = new Set<() => void>();
  #unsubscribe: () => void = () => {};

  constructor(deps: ReferenceClientDeps) {
    this.reference = new ReferenceClientSession(deps);
  }

  /** Call after the client (re)started: every change it reports counts. */
  follow(): void {
    this.#unsubscribe();
    this.#unsubscribe = this.reference.client.onChange(() => this.bump());
  }

  bump(): void {
    this.serial += 1;
    for (const wake of [...this.#waiters]) wake();
  }

  snapshot(): ViewResponse {
    const client = this.reference.client;
    return { serial: this.serial, idle: client.idle, view: client.view() };
  }

  /**
   * Answers once the view is newer than `after`, or the client, busy at the call, has finished all it
   * was doing; at the latest after `waitMs`, or when the caller has gone. A client idle at the call
   * waits for a change: what comes from outside (a sign-in callback) may still change the view.
   */
  async viewAfter(after: number, waitMs: number, gone: AbortSignal): Promise<ViewResponse> {
    const client = this.reference.client;
    if (this.serial > after) return this.snapshot();
    const busy = !client.idle;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        gone.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.#waiters.add(done);
      gone.addEventListener('abort', done);
      if (busy) client.settled().then(done, done);
    });
    return this.snapshot();
  }

  async stop(): Promise<void> {
    this.#unsubscribe();
    for (const wake of [...this.#waiters]) wake();
    await this.reference.stop();
  }
}

export interface CcdpHandler {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Stops the running session, if any. */
  close(): Promise<void>;
}

/** The protocol's request handler for the reference client; `serveCcdp` puts it on a listener. */
export function referenceClientHandler(options: ReferenceServerOptions): CcdpHandler {
  let session: Session | undefined;
  const status = (): StatusResponse => ({
    protocol: PROTOCOL,
    client: { name: CLIENT_NAME, version: options.clientVersion, platform: options.platform },
    capabilities: { defects: DEFECTS.map((defect) => defect.name) },
    session: session?.id ?? null,
  });

  const sessionNamed = (id: string): Session => {
    if (session === undefined || session.id !== id) {
      throw new ProtocolFailure('NO_SESSION', `no session "${id}" (running: ${session?.id ?? 'none'})`);
    }
    return session;
  };

  async function create(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = (await readJson(request, 'session-request')) as SessionRequest;
    if (body.platform !== options.platform || body.clientVersion !== options.clientVersion) {
      throw new ProtocolFailure(
        'UNSUPPORTED',
        `this client is ${options.platform} ${options.clientVersion}, not ${body.platform} ${body.clientVersion}`,
      );
    }
    if (body.defect !== undefined && !DEFECTS.some((defect) => defect.name === body.defect)) {
      throw new ProtocolFailure('UNSUPPORTED', `unknown defect "${body.defect}"`);
    }
    if (session !== undefined) {
      throw new ProtocolFailure('BUSY', `session ${session.id} is running; delete it first`);
    }
    const created = new Session(options.deps ?? {});
    session = created;
    try {
      await created.reference.start(body);
    } catch (error) {
      // A start that fails late may have been deleted and replaced meanwhile: leave the newer one.
      if (session === created) session = undefined;
      await created.stop();
      throw error;
    }
    created.follow();
    reply(response, 201, { id: created.id, ...created.snapshot() }, sessionPathOf(created));
  }

  async function act(current: Session, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const action = (await readJson(request, 'action')) as ProtocolAction;
    if (action.type === 'restart') {
      await current.reference.restart();
      current.follow();
      current.bump();
    } else {
      try {
        await current.reference.client.act(action);
      } catch (error) {
        if (error instanceof ClientActionError) throw new ProtocolFailure('NOT_OFFERED', error.message);
        throw error;
      }
    }
    reply(response, 200, current.snapshot());
  }

  async function route(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const method = request.method ?? '';
    const path = url.pathname;
    if (path === `${BASE_PATH}/status`) {
      allow(method, ['GET']);
      reply(response, 200, status());
      return;
    }
    if (path === `${BASE_PATH}/sessions`) {
      allow(method, ['POST']);
      await create(request, response);
      return;
    }
    const match = /^\/ccdp\/1\/sessions\/([^/]+)(\/view|\/actions|\/evidence)?$/.exec(path);
    if (match === null) throw new ProtocolFailure('NOT_FOUND', `no ${path} in ${PROTOCOL}`);
    const id = decodeURIComponent(match[1] ?? '');
    switch (match[2]) {
      case undefined: {
        allow(method, ['DELETE']);
        const current = sessionNamed(id);
        session = undefined;
        await current.stop();
        response.writeHead(204, { 'cache-control': 'no-store' }).end();
        return;
      }
      case '/view': {
        allow(method, ['GET']);
        const current = sessionNamed(id);
        const after = integerParam(url, 'after');
        if (after === undefined) {
          reply(response, 200, current.snapshot());
          return;
        }
        const wait = Math.min(integerParam(url, 'wait') ?? 0, MAX_WAIT_MS);
        const gone = new AbortController();
        response.once('close', () => gone.abort());
        reply(response, 200, await current.viewAfter(after, wait, gone.signal));
        return;
      }
      case '/actions':
        allow(method, ['POST']);
        await act(sessionNamed(id), request, response);
        return;
      default:
        allow(method, ['GET']);
        reply(response, 200, { log: sessionNamed(id).reference.log });
    }
  }

  return {
    async handle(request, response) {
      try {
        const host = request.headers.host ?? '';
        const port = request.socket.localPort;
        // Loopback names only: a page elsewhere cannot reach the client through DNS rebinding.
        if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
          throw new ProtocolFailure('BAD_REQUEST', `unexpected Host header "${host}"`);
        }
        await route(request, response, new URL(request.url ?? '/', 'http://127.0.0.1'));
      } catch (error) {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        const failure =
          error instanceof ProtocolFailure
            ? error
            : new ProtocolFailure('INTERNAL', error instanceof Error ? error.message : String(error));
        reply(response, ERROR_STATUS[failure.code], { code: failure.code, message: failure.message });
      }
    },
    async close() {
      const current = session;
      session = undefined;
      await current?.stop();
    },
  };
}

export interface CcdpListener {
  /** e.g. `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

/** Serves `handler` on 127.0.0.1:`port` (0: a free one). */
export async function serveCcdp(handler: CcdpHandler, port = 0): Promise<CcdpListener> {
  const server = createServer((request, response) => {
    void handler.handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      closing ??= (async () => {
        await handler.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

function sessionPathOf(session: Session): string {
  return `${BASE_PATH}/sessions/${session.id}`;
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) {
    throw new ProtocolFailure(
      'METHOD_NOT_ALLOWED',
      `${method} is not allowed here (allowed: ${methods.join(', ')})`,
    );
  }
}

function integerParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new ProtocolFailure('BAD_REQUEST', `"${name}" must be a whole number`);
  return Number(raw);
}

/** The request body as JSON that satisfies the schema of `kind`; BAD_REQUEST otherwise. */
async function readJson(request: IncomingMessage, kind: 'session-request' | 'action'): Promise<unknown> {
  if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    throw new ProtocolFailure('BAD_REQUEST', 'the body must be application/json');
  }
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY)
      throw new ProtocolFailure('BAD_REQUEST', `the body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ProtocolFailure('BAD_REQUEST', 'the body is not JSON');
  }
  const problems = validateMessage(kind, body);
  if (problems.length > 0) throw new ProtocolFailure('BAD_REQUEST', `not a ${kind}: ${problems.join('; ')}`);
  return body;
}

/** A JSON answer; `location` for a 201. */
function reply(response: ServerResponse, status: number, body: unknown, location?: string): void {
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      ...(location === undefined ? {} : { location }),
    })
    .end(text);
}
