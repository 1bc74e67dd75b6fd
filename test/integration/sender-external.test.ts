/**
 * The sender against the machine's real Mosquitto (127.0.0.1:1883) and Redis (6379): events
 * published to Mosquitto, also through a loopback proxy that refuses and then comes back;
 * temporary attributes in Redis with their TTL; WebSocket fan-out between two appliance
 * instances sharing one Redis; and clear start-up errors when Redis is unreachable.
 */

import { rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { websocket } from 'hono/bun';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appliance } from '../../src/app.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { applianceOn, collect, descriptorBody, freePort, waitFor } from '../helpers/sender.ts';

const MOSQUITTO = 'mqtt://127.0.0.1:1883';
const REDIS = 'redis://127.0.0.1:6379';
const PREFIX = `lunette-test-${crypto.randomUUID()}:`;

let appliance: TestAppliance;
let api: ApiClient;
let redis: Redis;

async function createHandler(client: ApiClient, callbacks: unknown[], extra = {}) {
  const policies = { storage_policy: { callbacks, ...extra } };
  const res = await client.postJson('/6/handlers', { policies });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.handler_id as string;
}

async function postDescriptors(client: ApiClient, handlerId: string, n: number, seed: number) {
  const res = await client.postJson(`/6/handlers/${handlerId}/events`, descriptorBody(n, seed));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.events as { event_id: string; attribute_id: string | null }[];
}

/** A loopback TCP proxy to Mosquitto that the test starts and stops. */
function mosquittoProxy(port: number) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(1883, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  return {
    start: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

beforeAll(async () => {
  redis = new Redis(REDIS);
  appliance = await startTestAppliance({
    MQTT_URL: MOSQUITTO,
    REDIS_URL: REDIS,
    LUNETTE_REDIS_PREFIX: PREFIX,
    LUNETTE_SENDER_RETRY_MS: '50',
    LUNETTE_SENDER_RETRY_MAX_MS: '200',
  });
  api = apiClient(appliance.app, appliance.adminAuth);
});

afterAll(async () => {
  await appliance?.dispose();
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length > 0) {
    await redis.del(...keys);
  }
  redis.disconnect();
});

describe('mosquitto', () => {
  it('publishes events to the outside broker with the event as payload', async () => {
    const handlerId = await createHandler(api, [{ type: 'mqtt', topic_suffix: 'door' }]);
    const sub = await collect(MOSQUITTO);
    await sub.client.subscribeAsync(`lunette/+/events/${handlerId}/door`, { qos: 1 });
    const events = await postDescriptors(api, handlerId, 3, 21);
    await waitFor(() => sub.messages.length >= 3);
    expect(sub.messages.map((m) => m.body.event_id)).toEqual(events.map((e) => e.event_id));
    expect(sub.messages[0]?.body.handler_id).toBe(handlerId);
    await sub.client.endAsync();
  });

  it('delivers every event once a refusing proxy to the broker comes back', async () => {
    const port = await freePort();
    const proxy = mosquittoProxy(port);
    const box = await applianceOn(`${appliance.dataDir}-proxy`, {
      MQTT_URL: `mqtt://127.0.0.1:${port}`,
    });
    const boxApi = apiClient(box.app, appliance.adminAuth);
    const handlerId = await createHandler(boxApi, [{ type: 'mqtt' }]);
    const sub = await collect(MOSQUITTO);
    await sub.client.subscribeAsync(`lunette/+/events/${handlerId}`, { qos: 1 });
    const ids = (await postDescriptors(boxApi, handlerId, 4, 22)).map((e) => e.event_id);
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.messages).toEqual([]);
    await proxy.start();
    await waitFor(() => sub.messages.length >= 4);
    expect(sub.messages.map((m) => m.body.event_id)).toEqual(ids);
    await sub.client.endAsync();
    await box.close();
    await proxy.stop();
    await rm(`${appliance.dataDir}-proxy`, { recursive: true, force: true });
  });
});

describe('redis', () => {
  it('keeps temporary attributes in redis with their ttl', async () => {
    const handlerId = await createHandler(api, [], {
      attribute_policy: { store_attribute: 1, ttl: 120 },
    });
    const [event] = await postDescriptors(api, handlerId, 1, 23);
    const attributeId = event?.attribute_id as string;
    const keys = await redis.keys(`${PREFIX}attr:*:${attributeId}`);
    expect(keys).toHaveLength(1);
    const ttl = await redis.pttl(keys[0] as string);
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    expect((await api.get(`/6/attributes/${attributeId}`)).status).toBe(200);
  });

  it('fans events out to websocket subscribers of another instance', async () => {
    const other: Appliance = await applianceOn(appliance.dataDir, {
      REDIS_URL: REDIS,
      LUNETTE_REDIS_PREFIX: PREFIX,
    });
    const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: other.app.fetch, websocket });
    const got: string[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/6/ws`, {
      headers: appliance.adminAuth,
    } as never);
    ws.onmessage = (m) => got.push(JSON.parse(String(m.data)).event_id);
    await new Promise((resolve) => {
      ws.onopen = resolve;
    });
    const handlerId = await createHandler(api, [{ type: 'ws' }]);
    const ids = (await postDescriptors(api, handlerId, 2, 24)).map((e) => e.event_id);
    await waitFor(() => got.length >= 2);
    expect(got).toEqual(ids);
    ws.close();
    await server.stop(true);
    await other.close();
  });

  it('stops start-up with a clear error when redis cannot be reached', async () => {
    const port = await freePort();
    await expect(startTestAppliance({ REDIS_URL: `redis://127.0.0.1:${port}` })).rejects.toThrow(
      /REDIS_URL redis:\/\/127\.0\.0\.1:\d+ cannot be reached/,
    );
  });
});
