/** A ccdp/1 server on 127.0.0.1 until SIGTERM or SIGINT: `serve-client` and `bridge webdriver`. */
import { PROTOCOL } from '../protocol/ccdp.ts';
import { type CcdpHandler, serveCcdp } from '../protocol/server.ts';
import { out } from './output.ts';

/** Prints where it listens, serves until SIGTERM or SIGINT, then closes; resolves with exit code 0. */
export async function serveUntilStopped(handler: CcdpHandler, port: number): Promise<number> {
  const listener = await serveCcdp(handler, port);
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
