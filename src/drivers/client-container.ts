/**
 * `--client image:NAME[:TAG]`: the client under test in a container of a local image, started with
 * testcontainers per worker and target. The image's entry point takes
 * `serve-client --platform P --client-version V --port N` (as this project's Dockerfile does) and
 * serves ccdp/1 on 127.0.0.1:N. Host networking keeps every connection on this machine's loopback;
 * the simulated world's URLs are passed as environment for clients that want them before a session
 * says them. Ready when GET /ccdp/1/status answers for the target. The container's output is kept
 * as evidence; the container is removed when stopped, and when the harness exits without stopping it.
 */
import { execFileSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { StartedTestContainer, StartupStatus } from 'testcontainers';
import type { Platform } from '../fixtures/types.ts';
import { ClientProtocolError } from '../verdict.ts';
import { freePort } from './client-process.ts';
import { ProtocolProblem, readStatus } from './remote.ts';

export interface ClientContainerOptions {
  image: string;
  platform: Platform;
  clientVersion: string;
  /** How long the container may take to answer its status, in ms. */
  startupTimeoutMs: number;
  /** Environment for the client: the simulated world's URLs. */
  environment: Record<string, string>;
}

/** Lines of output kept. */
const OUTPUT_LINES = 500;
const running = new Set<string>();
let exitHookInstalled = false;

export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

/** The reaper container (ryuk) would need an image pull; containers are removed by stop() instead. */
function configureTestcontainers(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
}

/** Whether `image` is on this machine's engine; 'no-engine' when no engine answers. */
export async function findLocalImage(image: string): Promise<'present' | 'missing' | 'no-engine'> {
  configureTestcontainers();
  const { getContainerRuntimeClient, ImageName } = await import('testcontainers');
  let client: Awaited<ReturnType<typeof getContainerRuntimeClient>>;
  try {
    client = await getContainerRuntimeClient();
  } catch {
    return 'no-engine';
  }
  return (await client.image.exists(ImageName.fromString(image))) ? 'present' : 'missing';
}

export class ClientContainer {
  /** e.g. `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly image: string;
  readonly #container: StartedTestContainer;
  readonly #output: string[];
  #ended = false;
  /** Resolves when the container's output ends: the container stopped. */
  readonly #stopped: Promise<void>;

  private constructor(
    image: string,
    url: string,
    container: StartedTestContainer,
    output: string[],
    logs: Readable | undefined,
  ) {
    this.image = image;
    this.url = url;
    this.#container = container;
    this.#output = output;
    this.#stopped = new Promise((resolve) => {
      if (logs === undefined) return;
      logs.once('end', () => {
        this.#ended = true;
        resolve();
      });
    });
  }

  static async start(options: ClientContainerOptions): Promise<ClientContainer> {
    configureTestcontainers();
    const { GenericContainer, StartupCheckStrategy, PullPolicy } = await import('testcontainers');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const output: string[] = [];
    let stream: Readable | undefined;
    const where = `--client image:${options.image}`;

    /** Ready once the status answers for the target; FAIL at once when it answers for another. */
    class StatusAnswers extends StartupCheckStrategy {
      mismatch: string | undefined;
      override async checkStartupState(docker: Dockerode, id: string): Promise<StartupStatus> {
        const state = (await docker.getContainer(id).inspect()).State;
        if (!state.Running) {
          this.mismatch = `exited with code ${state.ExitCode} before it answered GET ${url}/ccdp/1/status`;
          return 'FAIL';
        }
        try {
          const status = await readStatus(url, 1000);
          if (
            status.client.platform === options.platform &&
            status.client.version === options.clientVersion
          ) {
            return 'SUCCESS';
          }
          this.mismatch = `is ${status.client.platform} ${status.client.version}, not the target ${options.platform} ${options.clientVersion}`;
          return 'FAIL';
        } catch (error) {
          const problem = error instanceof ClientProtocolError ? error.cause : undefined;
          if (problem instanceof ProtocolProblem && problem.how === 'refused') return 'PENDING';
          this.mismatch = error instanceof Error ? error.message : String(error);
          return 'FAIL';
        }
      }
    }
    const ready = new StatusAnswers().withStartupTimeout(options.startupTimeoutMs);
    let container: StartedTestContainer;
    try {
      container = await new GenericContainer(options.image)
        .withNetworkMode('host')
        .withPullPolicy(PullPolicy.defaultPolicy())
        .withEnvironment(options.environment)
        .withCommand([
          'serve-client',
          '--platform',
          options.platform,
          '--client-version',
          options.clientVersion,
          '--port',
          String(port),
        ])
        .withLogConsumer((logs) => {
          stream = logs;
          logs.on('data', (chunk: Buffer | string) => {
            output.push(...chunk.toString().split('\n').filter(Boolean));
            output.splice(0, Math.max(0, output.length - OUTPUT_LINES));
          });
        })
        .withWaitStrategy(ready)
        .start();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/ENOENT|ECONNREFUSED|Could not find a working container runtime/i.test(message)) {
        throw new EngineUnavailableError(
          `${where}: no Docker engine answers (${firstLine(message)}); start dockerd or set DOCKER_HOST`,
        );
      }
      const tail = output.slice(-5).join(' | ');
      throw new ClientProtocolError(
        `${where}: the client did not start: ${ready.mismatch ?? firstLine(message)}` +
          (tail ? `; its last output: ${tail}` : ''),
      );
    }
    installExitHook();
    running.add(container.getId());
    return new ClientContainer(options.image, url, container, output, stream);
  }

  /** The container's output so far (its last 500 lines). */
  get output(): string[] {
    return [...this.#output];
  }

  get alive(): boolean {
    return !this.#ended;
  }

  /**
   * Why the client is gone, with its last output; undefined when the container still runs `graceMs`
   * later (a dropped connection is often seen a moment before the container stops).
   */
  async describeExit(graceMs = 1000): Promise<string | undefined> {
    if (!this.#ended) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.#stopped, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    if (!this.#ended) return undefined;
    const tail = this.#output.slice(-5).join(' | ');
    return `the client container (${this.image}) stopped${tail === '' ? '' : `; its last output: ${tail}`}`;
  }

  /** Stops and removes the container. */
  async stop(): Promise<void> {
    const id = this.#container.getId();
    try {
      await this.#container.stop({ timeout: 2000, remove: true });
    } finally {
      running.delete(id);
    }
  }
}

/** A harness that exits without its AfterAll hooks still removes its containers. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const id of running) {
      try {
        execFileSync('docker', ['rm', '-f', id], { stdio: 'ignore', timeout: 5000 });
      } catch {
        // Best effort: the engine or its CLI may be gone too.
      }
    }
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
