/**
 * The loopback redirect listener native apps use for OAuth (RFC 8252 section 7.3): 127.0.0.1 on a
 * port the system picks, path /oauth/callback. It takes the one callback request and closes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CALLBACK_PATH = '/oauth/callback';

export interface CallbackReply {
  status: number;
  /** The text the browser shows. */
  message: string;
}

export interface LoopbackListener {
  /** `http://127.0.0.1:PORT/oauth/callback` */
  readonly redirectUri: string;
  close(): Promise<void>;
}

/**
 * Listens for the authorization response; `onCallback` gets the full callback URL and decides the
 * page the browser gets. The response is sent only once `onCallback` has settled.
 */
export async function listenForCallback(
  onCallback: (callbackUrl: URL) => Promise<CallbackReply>,
  path = CALLBACK_PATH,
): Promise<LoopbackListener> {
  let answered = false;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', redirectUri);
    if (request.method !== 'GET' || url.pathname !== path || answered) {
      send(response, { status: 404, message: 'Not found.' });
      return;
    }
    answered = true;
    server.close();
    onCallback(url).then(
      (reply) => send(response, reply),
      (error: unknown) =>
        send(response, {
          status: 500,
          message: `Sign-in failed: ${error instanceof Error ? error.message : error}`,
        }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://127.0.0.1:${port}${path}`;
  return {
    redirectUri,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) {
          server.closeAllConnections();
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, reply: CallbackReply): void {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Zscaler Client Connector</title></head>
<body><p>${escapeHtml(reply.message)}</p></body></html>
`;
  response.writeHead(reply.status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'close',
  });
  response.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
