/**
 * One ccdp/1 session of the WebDriver bridge: the client started (as the UI map says), a WebDriver
 * session on its UI, each view read and each action done through it. The bridge cannot know when the
 * client is idle, so it says `idle: false`; the view's serial grows whenever a read differs from the
 * one before, and the long poll reads the window until it does.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientAction, SessionOptions } from '../drivers/types.ts';
import type { ViewResponse } from '../protocol/ccdp.ts';
import type { CcdpSession } from '../protocol/server.ts';
import type { UiMap } from './ui-map.ts';
import { type WebDriverClient, type WindowRead, WindowReader } from './window-reader.ts';

/** The client application behind the UI, when the bridge starts it itself (a web UI). */
export interface BridgedApp {
  /** Starts the client for a session; resolves with the URL of its UI. */
  start(options: SessionOptions): Promise<string>;
  /** Quits and starts it again, keeping its data; resolves with the URL of its UI. */
  restart(): Promise<string>;
  stop(): Promise<void>;
  evidence(): Promise<{ log: string[] }>;
}

export interface BridgeSessionOptions {
  map: UiMap;
  /** Opens a WebDriver session (with the capabilities of the bridge), or takes the kept one. */
  connect(): Promise<WebDriverClient>;
  /** Hands the WebDriver session back when the session ends (to keep it); else it is ended. */
  release?(driver: WebDriverClient): Promise<void>;
  /** The application the bridge starts, if any (else the capabilities start it). */
  app?: BridgedApp;
  /** How long an action, or the first window, may take to show; 5000 by default. */
  actionTimeoutMs?: number;
  /** Pause between two reads of the window while waiting for a change; 15 ms by default. */
  pollMs?: number;
}

/** How often a read may meet a window that changed under it (stale elements) before it fails. */
const READ_ATTEMPTS = 5;

export class BridgeSession implements CcdpSession {
  readonly #options: BridgeSessionOptions;
  readonly #timeoutMs: number;
  readonly #pollMs: number;
  #driver: WebDriverClient | undefined;
  #url: string | undefined;
  #serial = 0;
  #last: string | undefined;
  /** The last full read of the window and the page source it was read at (changes: page-source). */
  #lastRead: { source: string; read: WindowRead } | undefined;
  /** WebDriver commands of one request at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: BridgeSessionOptions) {
    this.#options = options;
    this.#timeoutMs = options.actionTimeoutMs ?? 5000;
    this.#pollMs = options.pollMs ?? 15;
  }

  async start(session: SessionOptions): Promise<void> {
    try {
      this.#url = await this.#options.app?.start(session);
      await this.#open();
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  read(): Promise<ViewResponse> {
    return this.#exclusive(() => this.#readNow());
  }

  async next(after: number, _busy: boolean, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if ((await this.read()).serial > after) return;
      await sleep(this.#pollMs, undefined, { signal }).catch(() => undefined);
    }
  }

  act(action: ClientAction): Promise<void> {
    return this.#exclusive(async () => {
      const deadline = performance.now() + this.#timeoutMs;
      const window = await this.#readWindow();
      try {
        await this.#reader().act(action, window);
      } catch (error) {
        if (!isStale(error)) throw error;
        // The window was drawn anew, the same as before: its elements are new ones.
        this.#lastRead = undefined;
        await this.#reader().act(action, await this.#readWindow());
      }
      await this.#settle(deadline);
    });
  }

  restart(): Promise<void> {
    return this.#exclusive(async () => {
      const app = this.#options.app;
      if (this.#options.map.restart === 'new-session') {
        await this.#close();
        if (app !== undefined) this.#url = await app.restart();
        await this.#open();
      } else {
        if (app !== undefined) this.#url = await app.restart();
        await this.#navigate();
      }
      // A restart is a new view even when the window looks the same.
      this.#serial += 1;
    });
  }

  /** Ends the WebDriver session, stops the app, clears its data: each even when one before failed. */
  async stop(): Promise<void> {
    const clear = this.#options.map.clearData?.command;
    const steps = [
      () => this.#close(),
      () => this.#options.app?.stop(),
      () => (clear === undefined ? undefined : run(clear)),
    ];
    const failures: unknown[] = [];
    for (const step of steps)
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  }

  /** The lines of the map's log file, else the log of the app the bridge started, else none. */
  async evidence(): Promise<string[]> {
    const file = this.#options.map.log?.file;
    if (file !== undefined) {
      const text = await readFile(file, 'utf8').catch(() => '');
      return text.split(/\r?\n/).filter((line) => line !== '');
    }
    return (await this.#options.app?.evidence())?.log ?? [];
  }

  async #open(): Promise<void> {
    this.#driver = await this.#options.connect();
    await this.#navigate();
  }

  /** Opens the client's URL (when it has one) and waits for its first window. */
  async #navigate(): Promise<void> {
    this.#lastRead = undefined;
    if (this.#url !== undefined) await this.#running().navigateTo(this.#url);
    const deadline = performance.now() + this.#timeoutMs;
    for (;;) {
      try {
        await this.#readNow();
        return;
      } catch (error) {
        if (performance.now() > deadline) throw error;
      }
      await sleep(this.#pollMs);
    }
  }

  async #close(): Promise<void> {
    const driver = this.#driver;
    this.#driver = undefined;
    this.#lastRead = undefined;
    if (driver === undefined) return;
    const { release } = this.#options;
    await (release === undefined ? driver.deleteSession() : release(driver));
  }

  async #readNow(): Promise<ViewResponse> {
    const { view } = await this.#readWindow();
    const key = JSON.stringify(view);
    if (this.#last !== undefined && key !== this.#last) this.#serial += 1;
    this.#last = key;
    return { serial: this.#serial, idle: false, view };
  }

  /**
   * The window: the last read while the page source is the same as then (changes: page-source), else
   * read anew, and again when it changed while it was read.
   */
  async #readWindow(): Promise<WindowRead> {
    const source = await this.#source();
    if (source !== undefined && source === this.#lastRead?.source) return this.#lastRead.read;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const read = await this.#reader().read();
        this.#lastRead = source === undefined ? undefined : { source, read };
        return read;
      } catch (error) {
        if (attempt >= READ_ATTEMPTS || !isStale(error)) throw error;
      }
    }
  }

  /** The page source, when the map tells changes by it. */
  async #source(): Promise<string | undefined> {
    return this.#options.map.changes === 'page-source' ? this.#running().getPageSource() : undefined;
  }

  /**
   * After an action: until the window is no longer busy, when the map says how it tells; else until the
   * page source (with changes: read, the view) is the same twice in a row. At the latest at `deadline`: a
   * window that never settles is taken as it is then.
   */
  async #settle(deadline: number): Promise<void> {
    const reader = this.#reader();
    let previous: string | undefined;
    while (performance.now() < deadline) {
      if (this.#options.map.window.busy !== undefined) {
        if (!(await reader.busy().catch(() => true))) return;
      } else {
        const key = (await this.#source()) ?? JSON.stringify((await this.#readWindow()).view);
        if (key === previous) return;
        previous = key;
      }
      await sleep(this.#pollMs);
    }
  }

  #reader(): WindowReader {
    return new WindowReader(this.#running(), this.#options.map);
  }

  #running(): WebDriverClient {
    if (this.#driver === undefined) throw new Error('no WebDriver session is open');
    return this.#driver;
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

/** A window that changed while it was read: its elements are gone. */
function isStale(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /stale element|no such element|not attached/i.test(text);
}

/** Runs `command` (program and arguments, no shell) and waits for it; rejects when it fails. */
function run(command: string[]): Promise<void> {
  const [program, ...args] = command;
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? '', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `clearData ${command.join(' ')} exited with ${code}: ${stderr.trim().split('\n')[0] ?? ''}`,
          ),
        );
    });
  });
}
