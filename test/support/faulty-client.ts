/**
 * A ccdp/1 server that breaks the protocol on purpose, once: it serves the reference client, but the
 * first action it receives (the first of the whole test, when a marker directory is shared between
 * processes) meets one fault:
 * - `invalid`: an answer that does not match the view-response schema;
 * - `timeout`: no answer at all;
 * - `crash`: the process exits (code 3) — only as its own process;
 * - `refused`: the action is answered, then the server stops listening (later requests are refused).
 *
 * As a process, for --client-command:
 *   node test/support/faulty-client.ts FAULT PLATFORM VERSION PORT MARKER_DIR
 * Each process writes `pid-<pid>` into MARKER_DIR, and `fault` once the fault happened.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ReferenceClientDeps } from '../../client/index.ts';
import { type CcdpHandler, referenceClientHandler } from '../../client/protocol/server.ts';
import type { Platform } from '../../src/fixtures/types.ts';

export const FAULTS = ['invalid', 'timeout', 'crash', 'refused'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultyClientOptions {
  fault: Fault;
  platform: Platform;
  clientVersion: string;
  port?: number;
  /** Shared between processes: the fault happens once across all of them. */
  markerDir?: string;
  deps?: ReferenceClientDeps;
}

export interface FaultyClient {
  url: string;
  /** Whether the fault happened yet. */
  readonly faulted: boolean;
  close(): Promise<void>;
}

export async function serveFaultyClient(options: FaultyClientOptions): Promise<FaultyClient> {
  const handler: CcdpHandler = referenceClientHandler({
    platform: options.platform,
    clientVersion: options.clientVersion,
    ...(options.deps ? { deps: options.deps } : {}),
  });
  const marker = options.markerDir === undefined ? undefined : path.join(options.markerDir, 'fault');
  let faulted = marker !== undefined && existsSync(marker);
  const server: Server = createServer((request, response) => {
    // No connection is kept for later: once the server stops listening, every request finds it gone.
    if (options.fault === 'refused') response.shouldKeepAlive = false;
    const isAction = request.method === 'POST' && request.url?.endsWith('/actions');
    if (!isAction || faulted) {
      void handler.handle(request, response);
      return;
    }
    faulted = true;
    if (marker !== undefined) writeFileSync(marker, options.fault);
    switch (options.fault) {
      case 'invalid': {
        const body = JSON.stringify({ serial: 1, idle: true, view: { window: 'desktop', title: 'Zscaler' } });
        response.writeHead(200, { 'content-type': 'application/json' }).end(body);
        return;
      }
      case 'timeout':
        return; // never answered; closed with the server
      case 'crash':
        process.exit(3);
        return;
      case 'refused':
        // Stop listening before the answer leaves: a client quick to send its next request must find
        // nothing listening (refused), not a connection accepted and then dropped.
        server.close();
        response.once('finish', () => server.closeAllConnections());
        void handler.handle(request, response);
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get faulted() {
      return faulted;
    },
    async close() {
      await handler.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

if (import.meta.main) {
  const [fault, platform, clientVersion, port, markerDir] = process.argv.slice(2);
  if (!(FAULTS as readonly string[]).includes(fault ?? '') || markerDir === undefined) {
    process.stderr.write('usage: faulty-client.ts FAULT PLATFORM VERSION PORT MARKER_DIR\n');
    process.exit(2);
  }
  writeFileSync(path.join(markerDir, `pid-${process.pid}`), '');
  const client = await serveFaultyClient({
    fault: fault as Fault,
    platform: platform as Platform,
    clientVersion: clientVersion ?? '',
    port: Number(port),
    markerDir,
  });
  process.stdout.write(`ccdp/1 listening on ${client.url}\n`);
  // A client that stopped listening (fault "refused") still runs, until it is stopped.
  const alive = setInterval(() => {}, 60_000);
  const stop = () => {
    clearInterval(alive);
    void client.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
