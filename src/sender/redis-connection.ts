/**
 * The Redis adapter (ioredis). Start-up fails with a clear message when Redis cannot be reached;
 * later outages are logged once and retried by the client while commands fail fast, so callers
 * (the outbox, the attribute store) see an error instead of waiting in a hidden queue.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger/index.ts';

const CONNECT_TIMEOUT_MS = 5000;

function options(logger: Logger, url: string) {
  let down = false;
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (times: number) => {
      if (!down) {
        logger.warn('redis_unreachable', { url: redactedUrl(url), attempt: times });
      }
      down = true;
      return Math.min(times * 200, 5000);
    },
    reconnectOnError: () => {
      down = false;
      return false;
    },
  };
}

/** `url` without its password, for logs and errors. */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

/** Connects to Redis at `url`; rejects with the URL and cause when it is unreachable. */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, options(logger, url));
  redis.on('error', () => {});
  redis.on('ready', () => logger.info('redis_ready', { url: redactedUrl(url) }));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    const cause = err instanceof Error ? err.message : String(err);
    throw new Error(`REDIS_URL ${redactedUrl(url)} cannot be reached: ${cause}`);
  }
  return redis;
}
