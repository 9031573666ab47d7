/**
 * Serves msw request handlers over a real loopback HTTP listener, for clients in another process
 * or container. `url` is the origin (`http://127.0.0.1:PORT`); the policy API lives under
 * `${url}/zcc/api/v1`.
 *
 * While `setupServer` is active in the same process, msw intercepts this process's own fetches to
 * the listener too: call it through msw's `bypass()` (e.g. `fetch(bypass(url, init))`), otherwise
 * the request never reaches the socket (or fails as an unhandled frame).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, isPassthroughResponse, type RequestHandler } from 'msw';
import { MAX_BODY_BYTES } from './contract.ts';

export interface PolicyApiListener {
  url: string;
  close(): Promise<void>;
}

/** A fixed handler list, or a getter asked on every request (so handlers can be swapped per scenario). */
export type HandlerSource = RequestHandler[] | (() => RequestHandler[]);

/** `port`: the port on 127.0.0.1; a free one when absent (or 0). */
export async function servePolicyApi(handlers: HandlerSource, port = 0): Promise<PolicyApiListener> {
  const server = createServer((incoming, outgoing) => {
    respond(typeof handlers === 'function' ? handlers() : handlers, origin(), incoming, outgoing).catch(
      (error: unknown) => {
        if (!outgoing.headersSent) {
          outgoing.writeHead(500, { 'content-type': 'application/json' });
        }
        outgoing.end(JSON.stringify({ code: 'INTERNAL_ERROR', message: (error as Error).message }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = origin();
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function respond(
  handlers: RequestHandler[],
  base: string,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const request = await toRequest(base, incoming);
  const found = await getResponse(handlers, request);
  // A passthrough() answer means "let the network have it"; behind this listener there is no network.
  const response = found && !isPassthroughResponse(found) ? found : noHandler(request);
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const payload = Buffer.from(await response.arrayBuffer());
  outgoing.writeHead(response.status, response.statusText, headers);
  outgoing.end(payload);
}

async function toRequest(base: string, incoming: IncomingMessage): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = incoming.method ?? 'GET';
  // Past the policy API's limit the rest is read and dropped: the handlers see a body one byte too
  // large and answer 413, and the listener never holds more than the limit.
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of incoming) {
    const room = MAX_BODY_BYTES + 1 - kept;
    if (room <= 0) continue;
    const part = (chunk as Buffer).subarray(0, room);
    chunks.push(part);
    kept += part.length;
  }
  const hasBody = method !== 'GET' && method !== 'HEAD' && chunks.length > 0;
  return new Request(new URL(incoming.url ?? '/', base), {
    method,
    headers,
    ...(hasBody && { body: Buffer.concat(chunks) }),
  });
}

function noHandler(request: Request): Response {
  const { pathname } = new URL(request.url);
  return Response.json(
    { code: 'NOT_IN_CONTRACT', message: `${request.method} ${pathname} is not served here` },
    { status: 404 },
  );
}
