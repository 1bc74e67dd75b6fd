/**
 * Wiring of the sender: Redis when configured (temporary attributes and WebSocket fan-out), the
 * outbox hook for the events module, then, once accounts exist, the MQTT broker or client, the
 * HTTP channel, the dispatcher and `GET /6/ws`. `close()` closes whatever was opened.
 */
import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import type { Authenticator } from '../accounts/index.ts';
import { type AttributeStore, createRedisAttributeStore } from '../attributes/index.ts';
import type { SenderConfig } from '../config.ts';
import type { Database } from '../db/index.ts';
import type { EventSaveHook } from '../events/index.ts';
import type { AppEnv, RouteDef } from '../http/index.ts';
import type { Logger } from '../logger/index.ts';
import type { Channel } from './channel.ts';
import { createDeliveryRepository } from './delivery-repository.ts';
import { deliveryRoutes } from './delivery-routes.ts';
import { type Dispatcher, startDispatcher } from './dispatcher.ts';
import { createLocalHub, type EventHub, hubChannel } from './event-hub.ts';
import { createHttpChannel } from './http-channel.ts';
import { startEmbeddedBroker } from './mqtt-broker.ts';
import { createMqttClientChannel } from './mqtt-client-channel.ts';
import { outboxHook } from './outbox-hook.ts';
import { connectRedis } from './redis-connection.ts';
import { createRedisHub } from './redis-hub.ts';
import { mountWsRoute } from './ws-route.ts';

/** What the sender needs. */
export interface SenderDeps {
  db: Database;
  config: SenderConfig;
  logger: Logger;
}

/** The sender as the appliance sees it. */
export interface SenderModule {
  /** The Redis attribute store when `REDIS_URL` is set. */
  attributeStore: AttributeStore | undefined;
  /** Give to the events module: outbox rows commit with each event. */
  outbox: EventSaveHook;
  routes: RouteDef[];
  /** Starts the broker/client and the dispatcher and mounts `GET /6/ws`. */
  start(app: Hono<AppEnv>, authenticate: Authenticator): Promise<void>;
  /** Port of the embedded broker, when it runs. */
  mqttPort(): number | undefined;
  close(): Promise<void>;
}

interface Opened {
  close(): Promise<void>;
}

async function openMqtt(deps: SenderDeps, authenticate: Authenticator, opened: Opened[]) {
  const { config, logger } = deps;
  if (config.mqttUrl) {
    const client = createMqttClientChannel(config.mqttUrl, config.retryMs, logger);
    opened.push(client);
    return { channel: client.channel, port: undefined };
  }
  if (!config.mqttListen) {
    const off: Channel = { send: async () => ({ kind: 'retry', reason: 'no MQTT broker' }) };
    return { channel: off, port: undefined };
  }
  const broker = await startEmbeddedBroker({ ...config.mqttListen, authenticate, logger });
  opened.push(broker);
  return { channel: broker.channel, port: broker.port };
}

async function closeAll(opened: Opened[]): Promise<void> {
  for (const part of opened.reverse()) {
    await part.close();
  }
}

/** Opens Redis (when configured) and prepares the outbox; `start` does the rest. */
export async function createSenderModule(deps: SenderDeps): Promise<SenderModule> {
  const { db, config, logger } = deps;
  const opened: Opened[] = [];
  const redis: Redis | undefined = config.redisUrl
    ? await connectRedis(config.redisUrl, logger)
    : undefined;
  if (redis) {
    opened.push({ close: async () => void (await redis.quit().catch(() => redis.disconnect())) });
  }
  const repository = createDeliveryRepository(db);
  let dispatcher: Dispatcher | undefined;
  let port: number | undefined;
  return {
    attributeStore: redis && createRedisAttributeStore(redis, config.redisPrefix),
    outbox: outboxHook(() => dispatcher?.wake()),
    routes: deliveryRoutes(repository),
    async start(app, authenticate) {
      try {
        const hub: EventHub = redis
          ? await createRedisHub(redis, config.redisPrefix, logger)
          : createLocalHub();
        opened.push(hub);
        const mqtt = await openMqtt(deps, authenticate, opened);
        port = mqtt.port;
        mountWsRoute(app, hub, authenticate);
        dispatcher = startDispatcher({
          repository,
          channels: {
            mqtt: mqtt.channel,
            http: createHttpChannel(config.httpAllow),
            ws: hubChannel(hub),
          },
          retryMs: config.retryMs,
          retryMaxMs: config.retryMaxMs,
          retentionMs: config.retentionSeconds * 1000,
          logger,
        });
      } catch (err) {
        await closeAll(opened);
        throw err;
      }
    },
    mqttPort: () => port,
    async close() {
      await dispatcher?.close();
      await closeAll(opened);
    },
  };
}
