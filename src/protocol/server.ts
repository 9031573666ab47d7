/**
 * A ccdp/1 server (docs/driver-protocol.md) over any client that can start a session and show, act,
 * restart, stop and give its log: the routing, the Host check, request bodies checked against the
 * schemas, one session at a time, the view long poll and the error bodies. The reference client
 * (client/protocol/server.ts) and the WebDriver bridge (src/bridge/) are its backends.
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
import type { ClientAction } from '../drivers/types.ts';
import { ClientActionError } from '../verdict.ts';
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
} from './ccdp.ts';
import { validateMessage } from './schema.ts';

/** Largest request body accepted, in bytes. */
const MAX_BODY = 16 * 1024;

/** A failure answered as a ccdp/1 error body. */
export class ProtocolFailure extends Error {
  override name = 'ProtocolFailure';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** One running client, as the server needs it. */
export interface CcdpSession {
  /** The view now, its serial (grows on every change, never goes down) and whether the client is idle. */
  read(): Promise<ViewResponse>;
  /**
   * Resolves once the view may be newer than `after`, or, when the client was `busy` at the call, it
   * may have become idle; or when `signal` aborts (the wait is over or the caller has gone).
   */
  next(after: number, busy: boolean, signal: AbortSignal): Promise<void>;
  /** Rejects with ClientActionError when the open window does not offer the action. */
  act(action: ClientAction): Promise<void>;
  /** Quits the client and starts it again, keeping its data. */
  restart(): Promise<void>;
  /** Quits the client and removes its data. */
  stop(): Promise<void>;
  evidence(): Promise<string[]>;
}

/** What a ccdp/1 server serves: one build on one platform. */
export interface CcdpBackend {
  client: StatusResponse['client'];
  /** Defect names accepted in POST /sessions. */
  defects: string[];
  /** Starts the client for a session; the request is already checked against this backend. */
  start(request: SessionRequest): Promise<CcdpSession>;
  /** Called once the server closes, after its running session stopped. */
  close?(): Promise<void>;
}

export interface CcdpHandler {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Stops the running session, if any. */
  close(): Promise<void>;
}

interface Running {
  id: string;
  session: CcdpSession;
}

/** The protocol's request handler for `backend`; `serveCcdp` puts it on a listener. */
export function ccdpHandler(backend: CcdpBackend): CcdpHandler {
  /** The running session; `session` is undefined while it starts. */
  let running: { id: string; session?: CcdpSession } | undefined;
  const status = (): StatusResponse => ({
    protocol: PROTOCOL,
    client: backend.client,
    capabilities: { defects: [...backend.defects] },
    session: running?.id ?? null,
  });

  const sessionNamed = (id: string): Running => {
    if (running === undefined || running.id !== id || running.session === undefined) {
      throw new ProtocolFailure('NO_SESSION', `no session "${id}" (running: ${running?.id ?? 'none'})`);
    }
    return running as Running;
  };

  async function create(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = (await readJson(request, 'session-request')) as SessionRequest;
    const { platform, version } = backend.client;
    if (body.platform !== platform || body.clientVersion !== version) {
      throw new ProtocolFailure(
        'UNSUPPORTED',
        `this client is ${platform} ${version}, not ${body.platform} ${body.clientVersion}`,
      );
    }
    if (body.defect !== undefined && !backend.defects.includes(body.defect)) {
      throw new ProtocolFailure('UNSUPPORTED', `unknown defect "${body.defect}"`);
    }
    if (running !== undefined) {
      throw new ProtocolFailure('BUSY', `session ${running.id} is running; delete it first`);
    }
    const starting: { id: string; session?: CcdpSession } = { id: randomUUID() };
    running = starting;
    let session: CcdpSession;
    try {
      session = await backend.start(body);
    } catch (error) {
      if (running === starting) running = undefined;
      throw error;
    }
    if (running !== starting) {
      // Deleted while it started: leave the newer one.
      await session.stop();
      throw new ProtocolFailure('NO_SESSION', `session ${starting.id} was deleted while it started`);
    }
    starting.session = session;
    const path = `${BASE_PATH}/sessions/${starting.id}`;
    reply(response, 201, { id: starting.id, ...(await session.read()) }, path);
  }

  async function act(
    session: CcdpSession,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const action = (await readJson(request, 'action')) as ProtocolAction;
    if (action.type === 'restart') {
      await session.restart();
    } else {
      try {
        await session.act(action);
      } catch (error) {
        if (error instanceof ClientActionError) throw new ProtocolFailure('NOT_OFFERED', error.message);
        throw error;
      }
    }
    reply(response, 200, await session.read());
  }

  /**
   * Answers once the view is newer than `after`, or the client, busy at the call, has finished all it
   * was doing; at the latest after `waitMs`, or when the caller has gone.
   */
  async function viewAfter(session: CcdpSession, after: number, waitMs: number, gone: AbortSignal) {
    const now = await session.read();
    if (now.serial > after) return now;
    const over = AbortSignal.any([gone, AbortSignal.timeout(waitMs)]);
    await session.next(after, !now.idle, over);
    return session.read();
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
        if (running?.id !== id) sessionNamed(id);
        const current = running;
        running = undefined;
        // A session still starting is stopped by its start, once it has one.
        await current?.session?.stop();
        response.writeHead(204, { 'cache-control': 'no-store' }).end();
        return;
      }
      case '/view': {
        allow(method, ['GET']);
        const { session } = sessionNamed(id);
        const after = integerParam(url, 'after');
        if (after === undefined) {
          reply(response, 200, await session.read());
          return;
        }
        const wait = Math.min(integerParam(url, 'wait') ?? 0, MAX_WAIT_MS);
        const gone = new AbortController();
        response.once('close', () => gone.abort());
        reply(response, 200, await viewAfter(session, after, wait, gone.signal));
        return;
      }
      case '/actions':
        allow(method, ['POST']);
        await act(sessionNamed(id).session, request, response);
        return;
      default:
        allow(method, ['GET']);
        reply(response, 200, { log: await sessionNamed(id).session.evidence() });
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
      const current = running;
      running = undefined;
      try {
        await current?.session?.stop();
      } finally {
        await backend.close?.();
      }
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

/** A JSON answer in one write (headers and body together); `location` for a 201. */
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
