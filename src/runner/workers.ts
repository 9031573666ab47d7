/**
 * `--parallel N`: N lanes share out the targets: this process and N-1 worker processes. Each keeps one simulated world and
 * one browser for every target it runs (worker-resources.ts), runs a target at a time with
 * target.ts, and streams the target's Cucumber messages back; the runner builds the report from them
 * exactly as from a target run in its own process.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Envelope } from '@cucumber/messages';
import { codeModule } from '../package-layout.ts';
import { type InterruptCause, interruption, whenInterrupted } from './interruption.ts';
import type { TargetJob } from './target.ts';

/** Runner → worker. */
export type WorkerRequest =
  | { type: 'run'; job: TargetJob }
  | { type: 'interrupt'; by: InterruptCause }
  | { type: 'stop' };
/** Worker → runner. */
export type WorkerReply =
  | { type: 'message'; envelope: Envelope }
  | { type: 'done' }
  | { type: 'failed'; message: string };

const WORKER_FILE = codeModule('./target-worker', import.meta.url);

export interface JobHandlers {
  onMessage(job: TargetJob, envelope: Envelope): void;
  /** The job ended; `error` says why it could not run to its end. */
  onEnd(job: TargetJob, error?: string): void;
}

/**
 * Runs `jobs` on `workers` lanes, in order, each job on the first lane free. A lane is a worker
 * process; with `here`, the first lane is this process instead (`here` runs a job in it), which has
 * loaded the harness already, so that a worker's start (Node, the harness's modules, the identity
 * providers' keys) is paid once less.
 */
export async function runInWorkers(
  jobs: TargetJob[],
  workers: number,
  handlers: JobHandlers,
  here?: (job: TargetJob) => Promise<void>,
): Promise<void> {
  const queue = [...jobs];
  const running = new Set<ChildProcess>();
  // Interrupted: the workers end their targets as interrupted, and no lane takes another.
  void whenInterrupted().then(({ by }) => {
    for (const worker of running) {
      if (worker.connected) worker.send({ type: 'interrupt', by } satisfies WorkerRequest);
    }
  });
  const next = () => (interruption() === undefined ? queue.shift() : undefined);
  const lanes = Array.from({ length: Math.min(workers, jobs.length) }, async (_, lane) => {
    if (lane === 0 && here !== undefined) {
      for (let job = next(); job !== undefined; job = next()) {
        try {
          await here(job);
          handlers.onEnd(job);
        } catch (error) {
          handlers.onEnd(job, (error as Error).message);
        }
      }
      return;
    }
    let worker: ChildProcess | undefined;
    try {
      for (let job = next(); job !== undefined; job = next()) {
        if (worker === undefined) {
          const started = fork(WORKER_FILE, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          running.add(started);
          started.once('exit', () => running.delete(started));
          worker = started;
        }
        const error = await runJob(worker, job, handlers);
        handlers.onEnd(job, error);
        // A worker that died is replaced for the next job.
        if (worker.exitCode !== null || worker.signalCode !== null || !worker.connected) worker = undefined;
      }
    } finally {
      if (worker !== undefined) await stop(worker);
    }
  });
  await Promise.all(lanes);
}

/** Resolves with undefined when the job ran to its end, else with what went wrong. */
function runJob(worker: ChildProcess, job: TargetJob, handlers: JobHandlers): Promise<string | undefined> {
  return new Promise((resolve) => {
    const finish = (error?: string) => {
      worker.off('message', onReply);
      worker.off('exit', onExit);
      worker.off('error', onError);
      resolve(error);
    };
    const onReply = (reply: WorkerReply) => {
      if (reply.type === 'message') handlers.onMessage(job, reply.envelope);
      else finish(reply.type === 'failed' ? reply.message : undefined);
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(
        `the worker process ended (${signal ? `signal ${signal}` : `exit code ${code}`}) during the run`,
      );
    const onError = (error: Error) => finish(`the worker process failed: ${error.message}`);
    worker.on('message', onReply);
    worker.on('exit', onExit);
    worker.on('error', onError);
    worker.send({ type: 'run', job } satisfies WorkerRequest);
  });
}

function stop(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    if (worker.connected) worker.send({ type: 'stop' } satisfies WorkerRequest);
    else worker.kill();
  });
}
