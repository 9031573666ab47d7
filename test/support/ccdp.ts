/** ccdp/1 servers for the tests: the reference client in this process on stubs, or a server's process. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { type CcdpListener, referenceClientHandler, serveCcdp } from '../../client/protocol/server.ts';
import type { Platform } from '../../src/fixtures/types.ts';
import { StubPolicyApi, stubSignIn, type WorldOptions } from './reference-client-stubs.ts';

export const ENROLLED_USER = 'alex@acme.example';

export interface StubbedServer extends CcdpListener {
  api: StubPolicyApi;
}

export async function serveStubbedClient(
  options: { platform?: Platform; clientVersion?: string; world?: WorldOptions } = {},
): Promise<StubbedServer> {
  const api = new StubPolicyApi(options.world ?? {});
  const handler = referenceClientHandler({
    platform: options.platform ?? 'windows',
    clientVersion: options.clientVersion ?? '4.7',
    deps: { policyApi: () => api, signIn: stubSignIn([]) },
  });
  return Object.assign(await serveCcdp(handler), { api });
}

/** A session request for the stubbed server (the policy API URL is not used by the stub). */
export function sessionRequest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    platform: 'windows',
    clientVersion: '4.7',
    policyApiUrl: 'http://127.0.0.1:9/',
    username: ENROLLED_USER,
    ...extra,
  };
}

/** One raw request: the status and the JSON body (undefined for an empty one). */
export async function request(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** A port on 127.0.0.1 that nothing listens on (something did a moment ago). */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a ccdp/1 server (`serve-client`, `bridge webdriver`) as its own process, with `args` after
 * node; pushes its stop onto `closers`; resolves with the URL its first line names.
 */
export async function serveCcdpProcess(args: string[], closers: (() => Promise<void>)[]): Promise<string> {
  const child = spawn(process.execPath, args);
  const exited = once(child, 'exit');
  closers.push(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const url = /^ccdp\/1 listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
  assert.ok(url, line);
  return url;
}
