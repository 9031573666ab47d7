/**
 * The reference client's web UI: one page that shows the client's open window the way
 * docs/ui-contract.md says (roles and accessible names), kept current over Server-Sent Events, and
 * a small JSON API the page posts the person's actions to. Served on 127.0.0.1 only.
 *
 *   GET  /         the page (inline CSS and JS)
 *   GET  /view     the current ClientView (its number in the `x-view-serial` header)
 *   GET  /events   Server-Sent Events: the ClientView on connect and on every change (`id:` its number)
 *   POST /actions  a ClientAction → 204; 409 NOT_OFFERED; 400 malformed; 500 otherwise
 *
 * Views are numbered in the order the client changed, so the page can tell an older view from a
 * newer one whichever way (event stream or /view) each reached it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientAction, ClientView } from '../../src/drivers/types.ts';
import type { Platform } from '../../src/fixtures/types.ts';
import { ClientActionError } from '../../src/verdict.ts';
import { clientUiPage } from './page.ts';

/** What the UI needs of a client; ReferenceClient is one. */
export interface UiClient {
  view(): ClientView;
  /** Rejects with ClientActionError when the open window does not offer the action. */
  act(action: ClientAction): Promise<void>;
  /** Calls `listener` with the new view on every change; returns the unsubscribe function. */
  onChange(listener: (view: ClientView) => void): () => void;
}

export interface ClientUiOptions {
  platform: Platform;
  clientVersion: string;
}

export interface ServedClientUi {
  /** e.g. `http://127.0.0.1:PORT/` */
  url: string;
  /** Ends the event streams and every connection, then stops listening. */
  close(): Promise<void>;
}

/** Largest action body accepted, in bytes. */
const MAX_BODY = 16 * 1024;

class BadRequest extends Error {
  override name = 'BadRequest';
}

export async function serveClientUi(client: UiClient, options: ClientUiOptions): Promise<ServedClientUi> {
  clientUiPage(options); // refuses bad options now rather than on the first request
  const streams = new Set<ServerResponse>();
  /** Number of the current view: how many changes the client has reported. */
  let serial = 0;
  const unsubscribe = client.onChange((view) => {
    serial += 1;
    for (const stream of streams) pushView(stream, serial, view);
  });
  let port = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { code: 'INTERNAL', message: errorText(error) });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // Only this origin: refuse other host names (DNS rebinding) and other sites' pages.
    const host = request.headers.host;
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      sendJson(response, 421, { code: 'MISDIRECTED', message: `unexpected Host header "${host ?? ''}"` });
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      sendJson(response, 403, { code: 'FORBIDDEN', message: `requests from ${origin} are not accepted` });
      return;
    }
    const route = `${request.method ?? ''} ${url.pathname}`;
    switch (route) {
      case 'GET /':
        send(
          response,
          200,
          'text/html; charset=utf-8',
          clientUiPage({ ...options, initial: { serial, view: client.view() } }),
          {
            'content-security-policy':
              "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
          },
        );
        return;
      case 'GET /view':
        sendJson(response, 200, client.view(), { 'x-view-serial': String(serial) });
        return;
      case 'GET /events':
        openStream(response);
        return;
      case 'POST /actions':
        await postAction(request, response);
        return;
      default:
        if (['/', '/view', '/events', '/actions'].includes(url.pathname)) {
          sendJson(response, 405, { code: 'METHOD_NOT_ALLOWED', message: `${route} is not supported` });
        } else {
          sendJson(response, 404, { code: 'NOT_FOUND', message: `no ${url.pathname} here` });
        }
    }
  }

  function openStream(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    streams.add(response);
    response.on('close', () => streams.delete(response));
    pushView(response, serial, client.view());
  }

  async function postAction(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let action: ClientAction;
    try {
      const type = request.headers['content-type'] ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type)) {
        throw new BadRequest('the body must be application/json');
      }
      action = parseAction(await readBody(request));
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      sendJson(response, 400, { code: 'BAD_REQUEST', message: error.message });
      return;
    }
    try {
      await client.act(action);
    } catch (error) {
      if (error instanceof ClientActionError) {
        sendJson(response, 409, { code: 'NOT_OFFERED', message: error.message });
        return;
      }
      sendJson(response, 500, { code: 'INTERNAL', message: errorText(error) });
      return;
    }
    response.writeHead(204, { 'cache-control': 'no-store' });
    response.end();
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    unsubscribe();
    throw error;
  }
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        unsubscribe();
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Checks the shape of a posted action; throws BadRequest naming what is wrong. */
export function parseAction(body: string): ClientAction {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new BadRequest('the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequest('the body must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const text = (key: string, optional = false): string | undefined => {
    const field = record[key];
    if (field === undefined && optional) return undefined;
    if (typeof field !== 'string' || field.length > 1000) {
      throw new BadRequest(`"${key}" must be a string for a "${String(record.type)}" action`);
    }
    return field;
  };
  switch (record.type) {
    case 'click': {
      const control = text('control') ?? '';
      const tenant = text('tenant', true);
      return tenant === undefined ? { type: 'click', control } : { type: 'click', control, tenant };
    }
    case 'fill':
      return { type: 'fill', field: text('field') ?? '', value: text('value') ?? '' };
    case 'select':
      return { type: 'select', option: text('option') ?? '' };
    default:
      throw new BadRequest('"type" must be "click", "fill" or "select"');
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BadRequest(`the body is larger than ${MAX_BODY} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  response.end(body);
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

function pushView(stream: ServerResponse, serial: number, view: ClientView): void {
  stream.write(`id: ${serial}\ndata: ${JSON.stringify(view)}\n\n`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
