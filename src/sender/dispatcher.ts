/**
 * The dispatcher: drains the outbox. Each queue (one callback of one handler) is sent in order;
 * a failed head waits with exponential backoff and holds the rows behind it, so a subscriber
 * never sees a later event before an earlier one. Rows whose filters refuse the event are
 * marked `filtered`. Finished rows are pruned after the retention time.
 */
import { failedFilters } from '../events/index.ts';
import type { Logger } from '../logger/index.ts';
import type { Channels, SendResult } from './channel.ts';
import type { Delivery, DeliveryRepository, QueueKey } from './delivery-repository.ts';

const BATCH = 200;
const PRUNE_EVERY_MS = 60_000;
const IDLE_MS = 30_000;

/** What the dispatcher needs. */
export interface DispatcherDeps {
  repository: DeliveryRepository;
  channels: Channels;
  retryMs: number;
  retryMaxMs: number;
  retentionMs: number;
  logger: Logger;
}

/** The running dispatcher. */
export interface Dispatcher {
  /** Something was written to the outbox: look now. */
  wake(): void;
  close(): Promise<void>;
}

/** Delay before the attempt after `attempts` failed ones: doubling, capped. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempts, 30));
}

interface Outcome {
  delivered: number[];
  filtered: number[];
}

/** Starts the dispatcher loop. */
export function startDispatcher(deps: DispatcherDeps): Dispatcher {
  const { repository, channels, logger } = deps;
  let closed = false;
  let woken = false;
  let release: (() => void) | undefined;
  let lastPrune = 0;

  async function attempt(d: Delivery): Promise<SendResult> {
    if (failedFilters(d.callback.filters, d.subject, Date.now()).length > 0) {
      return { kind: 'refused', reason: 'filtered' };
    }
    return channels[d.callback.type].send(d);
  }

  async function settle(d: Delivery, result: SendResult, out: Outcome): Promise<boolean> {
    if (result.kind === 'sent') {
      out.delivered.push(d.seq);
    } else if (result.kind === 'refused' && result.reason === 'filtered') {
      out.filtered.push(d.seq);
    } else if (result.kind === 'refused') {
      await repository.finish([d.seq], 'refused', Date.now(), result.reason);
      logger.warn('delivery_refused', { deliveryId: d.deliveryId, reason: result.reason });
    } else {
      const wait = backoffMs(d.attempts, deps.retryMs, deps.retryMaxMs);
      await repository.retryLater(d.seq, result.reason, Date.now() + wait);
      logger.warn('delivery_retry', { deliveryId: d.deliveryId, reason: result.reason, wait });
      return false;
    }
    return true;
  }

  async function drain(queue: QueueKey): Promise<number> {
    const rows = await repository.pending(queue, BATCH);
    const out: Outcome = { delivered: [], filtered: [] };
    let done = 0;
    for (const d of rows) {
      if (closed || !(await settle(d, await attempt(d), out))) {
        break;
      }
      done += 1;
    }
    const now = Date.now();
    await repository.finish(out.delivered, 'delivered', now);
    await repository.finish(out.filtered, 'filtered', now);
    return done === BATCH ? 1 : 0;
  }

  async function prune(now: number): Promise<void> {
    if (now - lastPrune < PRUNE_EVERY_MS) {
      return;
    }
    lastPrune = now;
    const removed = await repository.prune(now - deps.retentionMs);
    if (removed > 0) {
      logger.info('deliveries_pruned', { removed });
    }
  }

  async function round(): Promise<boolean> {
    const now = Date.now();
    await prune(now);
    const queues = await repository.dueQueues(now);
    const more = await Promise.all(queues.map(drain));
    return more.some((m) => m > 0);
  }

  async function pause(): Promise<void> {
    const next = await repository.nextDue();
    const wait = next === undefined ? IDLE_MS : Math.max(0, next - Date.now());
    if (woken || wait === 0) {
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(wait, IDLE_MS));
      release = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    release = undefined;
  }

  async function loop(): Promise<void> {
    while (!closed) {
      woken = false;
      try {
        if (!(await round())) {
          await pause();
        }
      } catch (err) {
        logger.error('dispatch_failed', { error: err instanceof Error ? err.message : err });
        await new Promise((r) => setTimeout(r, deps.retryMs));
      }
    }
  }

  const running = loop();
  return {
    wake() {
      woken = true;
      release?.();
    },
    async close() {
      closed = true;
      release?.();
      await running;
    },
  };
}
