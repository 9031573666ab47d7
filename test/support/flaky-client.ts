/**
 * A test double for --repeat: the reference client over ccdp/1, with one of its defects switched on
 * in its first session only. Run a single scenario twice against it and the two runs disagree.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { type CcdpListener, referenceClientHandler, serveCcdp } from '../../client/protocol/server.ts';
import type { Target } from '../../src/catalog/types.ts';

export async function serveFlakyClient(target: Target, defect: string): Promise<CcdpListener> {
  const inner = referenceClientHandler({ platform: target.platform, clientVersion: target.clientVersion });
  let sessions = 0;
  return serveCcdp({
    close: () => inner.close(),
    async handle(request, response) {
      if (request.method !== 'POST' || !request.url?.endsWith('/ccdp/1/sessions')) {
        return inner.handle(request, response);
      }
      sessions += 1;
      const chunks: Buffer[] = [];
      for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as object;
      const replayed = Object.assign(
        Readable.from([Buffer.from(JSON.stringify(sessions === 1 ? { ...body, defect } : body))]),
        { method: request.method, url: request.url, headers: request.headers, socket: request.socket },
      );
      return inner.handle(replayed as unknown as IncomingMessage, response);
    },
  });
}
