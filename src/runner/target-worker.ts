/**
 * A worker process of `--parallel` (workers.ts): runs the targets the runner sends, one at a time,
 * streaming their Cucumber messages back; on `stop`, releases its world and browser and exits.
 */
import { runTarget } from './target.ts';
import { releaseWorkerResources } from './worker-resources.ts';
import type { WorkerReply, WorkerRequest } from './workers.ts';

function reply(message: WorkerReply): void {
  process.send?.(message);
}

process.on('message', async (request: WorkerRequest) => {
  if (request.type === 'stop') {
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
