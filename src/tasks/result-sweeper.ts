/** Background removal of task result files whose TTL has passed. */
import type { FileStore } from '../images/index.ts';
import type { Logger } from '../logger/index.ts';
import type { TaskRepository } from './task-repository.ts';

const SWEEP_INTERVAL_MS = 60_000;
const SWEEP_BATCH = 500;

/** Removes expired result files once; returns how many. */
export async function sweepExpiredResults(
  repository: TaskRepository,
  results: FileStore,
  now: number,
): Promise<number> {
  const expired = await repository.expiredResults(now, SWEEP_BATCH);
  for (const taskId of expired) {
    await results.remove(taskId);
    await repository.markResultRemoved(taskId);
  }
  return expired.length;
}

/** Sweeps every minute; returns the function that stops it. */
export function startResultSweeper(
  repository: TaskRepository,
  results: FileStore,
  logger: Logger,
): () => void {
  const timer = setInterval(() => {
    sweepExpiredResults(repository, results, Date.now()).then(
      (removed) => removed > 0 && logger.debug('task_results_swept', { removed }),
      (error: unknown) => logger.warn('task_result_sweep_failed', { error }),
    );
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
