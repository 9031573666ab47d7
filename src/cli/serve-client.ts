/**
 * `connector-conformance serve-client`: the bundled reference client as its own process, serving
 * the driver protocol ccdp/1 on 127.0.0.1 until SIGTERM or SIGINT. The first line on stdout says
 * where: `ccdp/1 listening on http://127.0.0.1:PORT`.
 */

import { AUTHENTICATIONS, type Authentication } from '../../client/index.ts';
import { referenceClientHandler } from '../../client/protocol/server.ts';
import type { Platform } from '../fixtures/types.ts';
import { InputError } from './flags.ts';
import type { ServeClientFlags } from './program.ts';
import { serveUntilStopped } from './serve-ccdp.ts';

const VERSION = /^\d+(\.\d+){0,3}$/;

export interface ServeClientArgs {
  platform: Platform;
  clientVersion: string;
  port: number;
  authentication: Authentication;
}

/** The flags, checked; throws InputError naming the flag. */
export function serveClientArgs(flags: ServeClientFlags): ServeClientArgs {
  const { platform, clientVersion, port = '0', authentication = 'browser' } = flags;
  if (platform !== 'windows' && platform !== 'macos') {
    throw new InputError(`--platform: expected windows or macos (got "${platform ?? ''}")`);
  }
  if (clientVersion === undefined || !VERSION.test(clientVersion)) {
    throw new InputError(`--client-version: expected a version like 4.7 (got "${clientVersion ?? ''}")`);
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    throw new InputError(`--port: expected a port from 0 (any free one) to 65535 (got "${port}")`);
  }
  if (!AUTHENTICATIONS.includes(authentication as Authentication)) {
    throw new InputError(`--authentication: expected browser or embedded (got "${authentication}")`);
  }
  return { platform, clientVersion, port: Number(port), authentication: authentication as Authentication };
}

/**
 * The command: serve until SIGTERM or SIGINT and exit 0. It loads nothing of the run's machinery
 * (see program.ts), so a worker's client starts fast.
 */
export function serveClientCommand(flags: ServeClientFlags): Promise<number> {
  return serveClient(serveClientArgs(flags));
}

/** Serves until SIGTERM or SIGINT; resolves with the exit code once the client has stopped. */
export async function serveClient(args: ServeClientArgs): Promise<number> {
  return serveUntilStopped(
    referenceClientHandler({
      platform: args.platform,
      clientVersion: args.clientVersion,
      settings: { authentication: args.authentication },
    }),
    args.port,
  );
}
