/**
 * `--client-command`: one client process per worker. The command is run through the shell with
 * `{port}` (a free port on 127.0.0.1), `{platform}` and `{version}` (the target) put in; the client
 * is ready when GET /ccdp/1/status answers for that target. Stopped with its whole process group.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Platform } from '../fixtures/types.ts';
import { ClientProtocolError } from '../verdict.ts';
import { ProtocolProblem, readStatus } from './remote.ts';

export const PORT_PLACEHOLDER = '{port}';
/** How often the status endpoint is asked while the client starts, in ms. */
const POLL_MS = 50;
const OUTPUT_LINES = 20;

export interface ClientCommandOptions {
  /** The shell command, with `{port}` and optionally `{platform}` and `{version}`. */
  command: string;
  platform: Platform;
  clientVersion: string;
  /** How long the client may take to answer its status, in ms. */
  startupTimeoutMs: number;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export class ClientProcess {
  /** e.g. `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly command: string;
  readonly #child: ChildProcess;
  readonly #output: string[];
  #exit: string | undefined;
  readonly #exited: Promise<void>;

  private constructor(command: string, url: string, child: ChildProcess, output: string[]) {
    this.command = command;
    this.url = url;
    this.#child = child;
    this.#output = output;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = signal === null ? `exited with code ${code}` : `was ended by ${signal}`;
        running.delete(child);
        resolve();
      });
    });
  }

  /** Starts the command and waits until the client answers its status for the target. */
  static async start(options: ClientCommandOptions): Promise<ClientProcess> {
    const port = await freePort();
    const command = options.command
      .replaceAll(PORT_PLACEHOLDER, String(port))
      .replaceAll('{platform}', options.platform)
      .replaceAll('{version}', options.clientVersion);
    installExitHook();
    const child = spawn(command, { shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      output.splice(0, Math.max(0, output.length - OUTPUT_LINES));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const started = new ClientProcess(options.command, `http://127.0.0.1:${port}`, child, output);
    child.once('error', (error) => {
      started.#exit ??= `could not start: ${error.message}`;
    });
    try {
      await started.#awaitStatus(options);
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  }

  /** Why the process is gone, with its last output; undefined while it runs. */
  get exitDescription(): string | undefined {
    if (this.#exit === undefined) return undefined;
    const tail = this.#output.slice(-5).join(' | ');
    return `the client process ${this.#exit}${tail === '' ? '' : `; its last output: ${tail}`}`;
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  async #awaitStatus(options: ClientCommandOptions): Promise<void> {
    const deadline = Date.now() + options.startupTimeoutMs;
    const fail = (why: string) =>
      new ClientProtocolError(`--client-command "${this.command}": the client ${why}`);
    for (;;) {
      if (!this.alive) throw fail(`did not answer GET ${this.url}/ccdp/1/status: ${this.exitDescription}`);
      try {
        const status = await readStatus(this.url, Math.max(1, deadline - Date.now()));
        if (status.client.platform !== options.platform || status.client.version !== options.clientVersion) {
          throw fail(
            `is ${status.client.platform} ${status.client.version}, not the target ${options.platform} ${options.clientVersion} (use {platform} and {version} in the command)`,
          );
        }
        return;
      } catch (error) {
        const problem = error instanceof ClientProtocolError ? error.cause : undefined;
        if (!(problem instanceof ProtocolProblem) || !problem.refused) throw error;
      }
      if (Date.now() >= deadline) {
        throw fail(`did not answer GET ${this.url}/ccdp/1/status within ${options.startupTimeoutMs} ms`);
      }
      await Promise.race([delay(POLL_MS), this.#exited]);
    }
  }

  /** Ends the process group: SIGTERM, then SIGKILL when it is still there after two seconds. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    signalGroup(this.#child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this.#child, 'SIGKILL'), 2000);
    await this.#exited;
    clearTimeout(timer);
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** A harness that exits without its AfterAll hooks still takes its clients along. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) signalGroup(child, 'SIGKILL');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
