/**
 * A worker process of `--parallel` (workers.ts): runs the targets the runner sends, one at a time,
 * streaming their Cucumber messages back; on `stop`, releases its world and browser and exits.
 * Interrupted (the runner says so, a signal reaches it from the terminal's process group, or the
 * runner went away) it ends the target in flight as interrupted (interruption.ts) and runs no other.
 */
import { INTERRUPT_SIGNALS, interrupt } from './interruption.ts';
import { runTarget } from './target.ts';
import { releaseWorkerResources } from './worker-resources.ts';
import type { WorkerReply, WorkerRequest } from './workers.ts';

let stopping = false;

function reply(message: WorkerReply): void {
  if (process.connected) process.send?.(message);
}

for (const signal of INTERRUPT_SIGNALS) process.on(signal, () => interrupt(signal));

// The runner is gone: what this worker runs would never be reported. Once the target in flight has
// ended, nothing holds the process open and it exits.
process.on('disconnect', () => {
  if (!stopping) interrupt('SIGHUP');
  void releaseWorkerResources();
});

process.on('message', async (request: WorkerRequest) => {
  if (request.type === 'interrupt') {
    interrupt(request.by);
    return;
  }
  if (request.type === 'stop') {
    stopping = true;
    await releaseWorkerResources();
    process.disconnect();
    return;
  }
  try {
    await runTarget(request.job, (envelope) => reply({ type: 'message', envelope }));
    reply({ type: 'done' });
  } catch (error) {
    reply({ type: 'failed', message: (error as Error).message });
  }
});
