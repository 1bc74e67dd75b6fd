/**
 * The Redis hub: events published on `<prefix>events`, heard by every appliance process that
 * shares the Redis, each handing them to its own WebSocket subscribers.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger/index.ts';
import { type EventHub, type HubMessage, listenerSet } from './event-hub.ts';

/** Builds the hub on `publisher` and a duplicate connection that subscribes. */
export async function createRedisHub(
  publisher: Redis,
  prefix: string,
  logger: Logger,
): Promise<EventHub> {
  const channel = `${prefix}events`;
  const listeners = listenerSet();
  const subscriber = publisher.duplicate({ enableOfflineQueue: true });
  subscriber.on('error', () => {});
  subscriber.on('message', (_channel: string, text: string) => {
    try {
      listeners.emit(JSON.parse(text) as HubMessage);
    } catch (err) {
      logger.warn('hub_message_dropped', { error: err instanceof Error ? err.message : err });
    }
  });
  await subscriber.connect();
  await subscriber.subscribe(channel);
  return {
    publish: async (message) => {
      await publisher.publish(channel, JSON.stringify(message));
    },
    listen: listeners.add,
    close: async () => {
      subscriber.disconnect();
    },
  };
}
