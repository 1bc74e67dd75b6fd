/** Background removal of expired temporary attributes. */
import type { Logger } from '../logger/index.ts';
import type { AttributeStore } from './attribute-store.ts';

const SWEEP_INTERVAL_MS = 60_000;

/** Starts sweeping `store` every minute; returns the function that stops it. */
export function startAttributeSweeper(store: AttributeStore, logger: Logger): () => void {
  const timer = setInterval(() => {
    store.sweepExpired(Date.now()).then(
      (removed) => removed > 0 && logger.debug('attributes_swept', { removed }),
      (error: unknown) => logger.warn('attribute_sweep_failed', { error }),
    );
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
