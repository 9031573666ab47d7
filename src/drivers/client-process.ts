/**
 * `--client-command`: one client process per worker. The command is run through the shell with
 * `{port}` (a free port on 127.0.0.1), `{platform}` and `{version}` (the target) put in; the client
 * is ready when GET /ccdp/1/status answers for that target. Stopped with its whole process group.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Platform } from '../fixtures/types.ts';
import { ClientProtocolError } from '../verdict.ts';
import { ProtocolProblem, readStatus } from './remote.ts';

export const PORT_PLACEHOLDER = '{port}';
/** How often the status endpoint is asked while the client starts, in ms. */
const POLL_MS = 50;
const OUTPUT_LINES = 20;
/** How long a stopped client may take to exit before it is killed, in ms. */
const STOP_GRACE_MS = 2000;

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

  /**
   * Why the process is gone, with its last output; undefined when it still runs `graceMs` later
   * (a dropped connection is often seen a moment before the exit).
   */
  async describeExit(graceMs = 1000): Promise<string | undefined> {
    if (this.alive) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.#exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    return this.exitDescription;
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
        if (!(problem instanceof ProtocolProblem) || problem.how !== 'refused') throw error;
      }
      if (Date.now() >= deadline) {
        throw fail(`did not answer GET ${this.url}/ccdp/1/status within ${options.startupTimeoutMs} ms`);
      }
      await Promise.race([delay(POLL_MS), this.#exited]);
    }
  }

  /**
   * Ends the whole process group (the shell and what it started): SIGTERM, then SIGKILL to what is
   * left after two seconds; resolves once none of it runs.
   */
  async stop(): Promise<void> {
    if (this.#child.pid === undefined) return;
    const deadline = Date.now() + STOP_GRACE_MS;
    let killed = false;
    signalGroup(this.#child, 'SIGTERM');
    while (groupRuns(this.#child)) {
      if (!killed && Date.now() >= deadline) killed = signalGroup(this.#child, 'SIGKILL');
      await delay(POLL_MS / 2);
    }
    await this.#exited;
  }
}

/**
 * Whether any process of the child's group still runs. On Linux, exited ones not yet reaped (their
 * parent, the shell, is gone, and init reaps them when it gets to it) do not count.
 */
function groupRuns(child: ChildProcess): boolean {
  if (!signalGroup(child, 0)) return false;
  if (process.platform !== 'linux') return true;
  const group = String(child.pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (pgrp === group && state !== 'Z') return true;
  }
  return false;
}

/** Sends `signal` (0: none, only a check) to the child's process group; false when the group is gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
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

/** A free TCP port on 127.0.0.1 (free when asked: the client is started on it at once). */
export function freePort(): Promise<number> {
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
