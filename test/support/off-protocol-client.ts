/**
 * ccdp/1 adapters that each break the protocol in one way, for check-client's tests: a proxy in front
 * of the reference client (stubbed world, test/support/ccdp.ts) that rewrites one kind of request or
 * answer. Each deviation names what it breaks.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveStubbedClient } from './ccdp.ts';

export const DEVIATIONS = [
  /** GET status carries a property the schema does not name. */
  'status-off-schema',
  /** The 201 of POST /sessions has no Location. */
  'no-location',
  /** A second POST /sessions replaces the running session instead of 409 BUSY. */
  'no-busy',
  /** Every view-response says serial 0. */
  'serial-frozen',
  /** A long poll is answered at once, its wait ignored. */
  'wait-ignored',
  /** A long poll is held for its whole wait even when the view is newer than `after`. */
  'after-ignored',
  /** A long poll is never answered. */
  'long-poll-hangs',
  /** NOT_OFFERED is answered as 400 BAD_REQUEST. */
  'not-offered-as-bad-request',
  /** An unknown path is answered with a text body, not a ccdp/1 error. */
  'not-found-as-text',
  /** DELETE of a session is answered 200 with a body. */
  'delete-200',
  /** Any version is served: no UNSUPPORTED for another one. */
  'any-version',
  /** Any Host header is accepted. */
  'no-host-check',
  /** Every status answer comes 60 ms late, as with Nagle's algorithm and split writes. */
  'slow-status',
] as const;
export type Deviation = (typeof DEVIATIONS)[number];

interface Forwarded {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export async function serveOffProtocolClient(
  deviation: Deviation,
): Promise<{ url: string; close(): Promise<void> }> {
  const inner = await serveStubbedClient();
  const forward = async (method: string, path: string, body?: string, type?: string): Promise<Forwarded> => {
    const response = await fetch(`${inner.url}${path}`, {
      method,
      ...(body === undefined || method === 'GET' ? {} : { body }),
      headers: type === undefined ? {} : { 'content-type': type },
    });
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'location']) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    return { status: response.status, headers, body: await response.text() };
  };
  const runningSession = async () =>
    (JSON.parse((await forward('GET', '/ccdp/1/status')).body) as { session: string | null }).session;

  async function answer(request: IncomingMessage, body: string): Promise<Forwarded | undefined> {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const type = request.headers['content-type'];
    const longPoll = url.pathname.endsWith('/view') && url.searchParams.has('after');
    let path = `${url.pathname}${url.search}`;
    switch (deviation) {
      case 'wait-ignored':
        if (longPoll) path = url.pathname;
        break;
      case 'after-ignored':
        if (longPoll) path = `${url.pathname}?after=999999&wait=${url.searchParams.get('wait') ?? 0}`;
        break;
      case 'long-poll-hangs':
        if (longPoll) return undefined;
        break;
      case 'no-busy': {
        const running =
          method === 'POST' && url.pathname === '/ccdp/1/sessions' ? await runningSession() : null;
        if (running !== null) await forward('DELETE', `/ccdp/1/sessions/${running}`);
        break;
      }
      case 'any-version':
        if (method === 'POST' && url.pathname === '/ccdp/1/sessions') {
          try {
            body = JSON.stringify({ ...JSON.parse(body), clientVersion: '4.7' });
          } catch {}
        }
        break;
      case 'not-found-as-text':
        if (!url.pathname.startsWith('/ccdp/1/sessions') && !url.pathname.endsWith('/status')) {
          return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
        }
        break;
      case 'slow-status':
        if (url.pathname.endsWith('/status')) await new Promise((resolve) => setTimeout(resolve, 60));
        break;
    }
    const forwarded = await forward(method, path, body, type);
    switch (deviation) {
      case 'status-off-schema':
        if (url.pathname.endsWith('/status')) forwarded.body = forwarded.body.replace(/^\{/, '{"uptime":1,');
        break;
      case 'no-location':
        delete forwarded.headers.location;
        break;
      case 'serial-frozen':
        forwarded.body = forwarded.body.replace(/"serial":\d+/, '"serial":0');
        break;
      case 'not-offered-as-bad-request':
        if (forwarded.body.includes('"NOT_OFFERED"')) {
          forwarded.status = 400;
          forwarded.body = forwarded.body.replace('"NOT_OFFERED"', '"BAD_REQUEST"');
        }
        break;
      case 'delete-200':
        if (method === 'DELETE' && forwarded.status === 204) {
          forwarded.status = 200;
          forwarded.body = '{}';
        }
        break;
    }
    return forwarded;
  }

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const port = (server.address() as AddressInfo).port;
    if (deviation !== 'no-host-check' && request.headers.host !== `127.0.0.1:${port}`) {
      response
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: 'BAD_REQUEST', message: 'unexpected Host header' }));
      return;
    }
    const answered = await answer(request, Buffer.concat(chunks).toString('utf8'));
    if (answered === undefined) return; // never answered; closed with the server
    response
      .writeHead(answered.status, answered.headers)
      .end(answered.status === 204 ? undefined : answered.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await inner.close();
    },
  };
}
