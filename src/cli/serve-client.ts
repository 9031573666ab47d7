/**
 * `connector-conformance serve-client`: the bundled reference client as its own process, serving
 * the driver protocol ccdp/1 on 127.0.0.1 until SIGTERM or SIGINT. The first line on stdout says
 * where: `ccdp/1 listening on http://127.0.0.1:PORT`.
 */
import { parseArgs } from 'node:util';
import { referenceClientHandler, serveCcdp } from '../../client/protocol/server.ts';
import type { Platform } from '../fixtures/types.ts';
import { PROTOCOL } from '../protocol/ccdp.ts';
import { flagErrorLine } from './flags.ts';
import { err, out } from './output.ts';

const VERSION = /^\d+(\.\d+){0,3}$/;

export interface ServeClientArgs {
  platform: Platform;
  clientVersion: string;
  port: number;
}

/** Bad flags: one line naming the flag. */
class ServeUsageError extends Error {
  override name = 'ServeUsageError';
}

/** Reads the flags; throws an Error naming the flag. */
export function parseServeClientArgs(args: string[]): ServeClientArgs {
  let values: { platform?: string; 'client-version'?: string; port?: string };
  try {
    values = parseArgs({
      args,
      options: {
        platform: { type: 'string' },
        'client-version': { type: 'string' },
        port: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new ServeUsageError(flagErrorLine(error));
  }
  const { platform, port = '0' } = values;
  const clientVersion = values['client-version'];
  if (platform !== 'windows' && platform !== 'macos') {
    throw new ServeUsageError(`--platform: expected windows or macos (got "${platform ?? ''}")`);
  }
  if (clientVersion === undefined || !VERSION.test(clientVersion)) {
    throw new ServeUsageError(`--client-version: expected a version like 4.7 (got "${clientVersion ?? ''}")`);
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    throw new ServeUsageError(`--port: expected a port from 0 (any free one) to 65535 (got "${port}")`);
  }
  return { platform, clientVersion, port: Number(port) };
}

/**
 * The command: exit 2 with one line on bad flags, else serve until SIGTERM or SIGINT and exit 0.
 * It loads nothing of the run's machinery (bin/ starts it directly), so a worker's client starts fast.
 */
export async function serveClientCommand(args: string[]): Promise<number> {
  let parsed: ServeClientArgs;
  try {
    parsed = parseServeClientArgs(args);
  } catch (error) {
    if (!(error instanceof ServeUsageError)) throw error;
    err(`connector-conformance serve-client: ${error.message}\n`);
    return 2;
  }
  return serveClient(parsed);
}

/** Serves until SIGTERM or SIGINT; resolves with the exit code once the client has stopped. */
export async function serveClient(args: ServeClientArgs): Promise<number> {
  const listener = await serveCcdp(
    referenceClientHandler({ platform: args.platform, clientVersion: args.clientVersion }),
    args.port,
  );
  out(`${PROTOCOL} listening on ${listener.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await listener.close();
  return 0;
}
