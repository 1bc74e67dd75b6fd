/**
 * The sender with the embedded broker, WebSocket and HTTP callbacks: filtered MQTT delivery of
 * LFW events, topic isolation between accounts, the WebSocket stream over a real socket, an
 * HTTP endpoint that fails twice, a broker that comes back, and a restart with undelivered rows.
 */
import { readFile, rm } from 'node:fs/promises';
import { websocket } from 'hono/bun';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, issueToken, type TestAccount } from '../helpers/accounts.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { TEST_ADMIN } from '../helpers/credentials.ts';
import { lfwImage } from '../helpers/paths.ts';
import {
  applianceOn,
  collect,
  descriptorBody,
  freePort,
  startPlainBroker,
  waitFor,
} from '../helpers/sender.ts';

let appliance: TestAppliance;
let api: ApiClient;
let adminId: string;
let user: TestAccount;
let mqttUrl: string;

async function createHandler(client: ApiClient, callbacks: unknown[], extra = {}) {
  const policies = {
    extract_policy: { extract_basic_attributes: 1 },
    storage_policy: { face_sample_policy: { store_sample: 0 }, callbacks },
    ...extra,
  };
  const res = await client.postJson('/6/handlers', { policies });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.handler_id as string;
}

async function postPhoto(client: ApiClient, handlerId: string, name: string, n: number) {
  const res = await client.postBytes(
    `/6/handlers/${handlerId}/events`,
    await readFile(lfwImage(name, n)),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.events[0].event_id as string;
}

async function postDescriptors(client: ApiClient, handlerId: string, n: number, seed: number) {
  const res = await client.postJson(`/6/handlers/${handlerId}/events`, descriptorBody(n, seed));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body.events as { event_id: string }[]).map((e) => e.event_id);
}

beforeAll(async () => {
  appliance = await startTestAppliance({ LUNETTE_SENDER_RETRY_MS: '50' });
  api = apiClient(appliance.app, appliance.adminAuth);
  const accounts = await api.get('/6/accounts');
  adminId = accounts.body.accounts.find((a: any) => a.login === TEST_ADMIN.login).account_id;
  user = await createAccount(appliance.app, api, 'user', `sender-${Date.now()}`);
  mqttUrl = `mqtt://127.0.0.1:${appliance.mqttPort()}`;
});

afterAll(async () => {
  await appliance?.dispose();
});

describe('embedded broker', () => {
  it('publishes every event on the handler topic and only filtered ones on a suffix', async () => {
    const handlerId = await createHandler(api, [
      { type: 'mqtt' },
      { type: 'mqtt', topic_suffix: 'women', filters: { gender: 0 } },
    ]);
    const sub = await collect(mqttUrl, {
      username: TEST_ADMIN.login,
      password: TEST_ADMIN.password,
    });
    await sub.client.subscribeAsync(`lunette/${adminId}/events/${handlerId}/#`, { qos: 1 });
    await sub.client.subscribeAsync(`lunette/${adminId}/events/${handlerId}`, { qos: 1 });
    const man = await postPhoto(api, handlerId, 'Tony_Blair', 18);
    const woman = await postPhoto(api, handlerId, 'Angelina_Jolie', 1);
    await waitFor(() => sub.messages.length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    const base = `lunette/${adminId}/events/${handlerId}`;
    expect(sub.messages.filter((m) => m.topic === base).map((m) => m.body.event_id)).toEqual([
      man,
      woman,
    ]);
    const women = sub.messages.filter((m) => m.topic === `${base}/women`);
    expect(women.map((m) => m.body.event_id)).toEqual([woman]);
    expect(women[0]?.body.handler_id).toBe(handlerId);
    expect(women[0]?.body.attributes.basic_attributes.gender).toBeLessThan(0.5);
    const deliveries = await api.get(`/6/events/${man}/deliveries`);
    expect(deliveries.body.deliveries.map((d: any) => d.state)).toEqual(['delivered', 'filtered']);
    await sub.client.endAsync();
  });

  it('lets an account subscribe only under its own account id', async () => {
    const sub = await collect(mqttUrl, { username: user.login, password: user.password });
    const own = await sub.client.subscribeAsync(`lunette/${user.accountId}/events/#`);
    expect(own[0]?.qos).toBe(0);
    await expect(sub.client.subscribeAsync(`lunette/${adminId}/events/#`)).rejects.toThrow(
      /Subscribe error/,
    );
    await expect(sub.client.subscribeAsync('lunette/+/events/#')).rejects.toThrow(
      /Subscribe error/,
    );
    await sub.client.endAsync();
    await expect(
      collect(mqttUrl, { username: user.login, password: 'wrong-password-0' }),
    ).rejects.toThrow();
  });

  it('fails start-up clearly when MQTT_LISTEN is busy', async () => {
    const port = appliance.mqttPort();
    await expect(startTestAppliance({ MQTT_LISTEN: `127.0.0.1:${port}` })).rejects.toThrow(
      /MQTT_LISTEN 127\.0\.0\.1:\d+ is already in use/,
    );
  });
});

describe('websocket', () => {
  it('streams the account own filtered events over a real socket', async () => {
    const server = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: appliance.app.fetch,
      websocket,
    });
    const handlerId = await createHandler(api, [{ type: 'ws' }]);
    const open = (auth: Record<string, string>, query: string) =>
      new Promise<{ ws: WebSocket; got: any[] }>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/6/ws${query}`, {
          headers: auth,
        } as any);
        const got: any[] = [];
        ws.onmessage = (m) => got.push(JSON.parse(String(m.data)));
        ws.onopen = () => resolve({ ws, got });
        ws.onerror = () => reject(new Error('ws refused'));
      });
    const mine = await open(appliance.adminAuth, `?handler_ids=${handlerId}&gender=1`);
    const all = await open(appliance.adminAuth, '');
    const other = await open(user.auth, '');
    await expect(open({}, '')).rejects.toThrow('ws refused');
    // A browser cannot set headers: the token rides in the query instead.
    const viewer = await issueToken(appliance.app, api, { events: ['view'] });
    const browser = await open({}, `?access_token=${viewer.token}&handler_ids=${handlerId}`);
    const listsOnly = await issueToken(appliance.app, api, { lists: ['view'] });
    await expect(open({}, `?access_token=${listsOnly.token}`)).rejects.toThrow('ws refused');
    await expect(open({}, '?access_token=not-a-token')).rejects.toThrow('ws refused');
    const man = await postPhoto(api, handlerId, 'Tony_Blair', 18);
    await postPhoto(api, handlerId, 'Angelina_Jolie', 1);
    await waitFor(() => all.got.length === 2);
    expect(mine.got.map((e) => e.event_id)).toEqual([man]);
    expect(other.got).toEqual([]);
    await waitFor(() => browser.got.length === 2);
    expect(browser.got.map((e) => e.event_id)).toContain(man);
    for (const s of [mine, all, other, browser]) {
      s.ws.close();
    }
    await server.stop(true);
  });
});

describe('websocket documentation', () => {
  it('lists GET /6/ws with its token and filter parameters in the OpenAPI document', async () => {
    const spec: any = await (await appliance.app.request('/6/docs/spec')).json();
    const ws = spec.paths['/6/ws'].get;
    const names = ws.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['access_token', 'handler_ids', 'sources']));
    expect(ws['x-permission']).toEqual({ resource: 'events', permission: 'view' });
    expect(Object.keys(ws.responses)).toContain('101');
  });
});

describe('websocket throttling', () => {
  it('counts failed query tokens against the client address like failed headers', async () => {
    const server = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: appliance.app.fetch,
      websocket,
    });
    try {
      const upgrade = (query: string, headers: Record<string, string> = {}) =>
        fetch(`http://127.0.0.1:${server.port}/6/ws${query}`, {
          headers: {
            ...headers,
            Connection: 'Upgrade',
            Upgrade: 'websocket',
            'Sec-WebSocket-Version': '13',
            'Sec-WebSocket-Key': btoa('lunette-ws-key-1'),
          },
        });
      // 20 failures per address are free (the socket test above spent a few of them).
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        statuses.push((await upgrade(`?access_token=guess-${i}`)).status);
      }
      expect(statuses.slice(0, 15)).toEqual(Array(15).fill(401));
      expect(statuses.at(-1)).toBe(429);
      expect((await upgrade('', appliance.adminAuth)).status).toBe(429);
    } finally {
      await server.stop(true);
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
  });
});

describe('http callbacks', () => {
  it('retries an endpoint that answers 500 twice and delivers once it recovers', async () => {
    const received: any[] = [];
    const endpoint = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: async (req) => {
        received.push(await req.json());
        return new Response(null, { status: received.length <= 2 ? 500 : 200 });
      },
    });
    const handlerId = await createHandler(api, [
      { type: 'http', url: `http://127.0.0.1:${endpoint.port}/hook`, headers: { 'X-Key': 'k' } },
    ]);
    const [eventId] = await postDescriptors(api, handlerId, 1, 7);
    const stateOf = async () => (await api.get(`/6/events/${eventId}/deliveries`)).body.deliveries;
    await waitFor(async () => (await stateOf())[0].state === 'delivered');
    const [ok] = await stateOf();
    expect(received.map((b) => b.event_id)).toEqual([eventId, eventId, eventId]);
    expect(ok.attempts).toBe(3);
    await endpoint.stop(true);
  });

  it('refuses to save a handler whose callback host the allow setting does not name', async () => {
    const res = await api.postJson('/6/handlers', {
      description: 'outside',
      policies: {
        storage_policy: {
          callbacks: [
            { type: 'http', url: 'http://127.0.0.1:9/hook' },
            { type: 'http', url: 'http://hooks.example.test/hook' },
          ],
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe(3);
    expect(res.body.issues).toEqual([
      {
        path: 'body.policies.storage_policy.callbacks.1.url',
        code: 'not_allowed',
        message: 'host hooks.example.test is not allowed (LUNETTE_SENDER_HTTP_ALLOW)',
      },
    ]);
  });

  it('refuses an MQTT callback on a box with no broker', async () => {
    const box = await startTestAppliance({ MQTT_LISTEN: 'off' });
    try {
      const res = await apiClient(box.app, box.adminAuth).postJson('/6/handlers', {
        description: 'no broker',
        policies: { storage_policy: { callbacks: [{ type: 'ws' }, { type: 'mqtt' }] } },
      });
      expect(res.status).toBe(400);
      expect(res.body.issues).toEqual([
        {
          path: 'body.policies.storage_policy.callbacks.1',
          code: 'not_allowed',
          message: 'no MQTT broker on this box (MQTT_LISTEN is off and MQTT_URL unset)',
        },
      ]);
    } finally {
      await box.dispose();
    }
  });
});

describe('outages', () => {
  it('delivers every event in order once a refusing broker comes back', async () => {
    const port = await freePort();
    const dataDir = `${appliance.dataDir}-outage`;
    const box = await applianceOn(dataDir, { MQTT_URL: `mqtt://127.0.0.1:${port}` });
    const boxApi = apiClient(box.app, appliance.adminAuth);
    const handlerId = await createHandler(boxApi, [{ type: 'mqtt' }]);
    const ids = await postDescriptors(boxApi, handlerId, 5, 11);
    await waitFor(async () => {
      const d = (await boxApi.get(`/6/events/${ids[0]}/deliveries`)).body.deliveries;
      return d[0].attempts >= 2 && d[0].state === 'pending';
    });
    const broker = await startPlainBroker(port);
    const sub = await collect(`mqtt://127.0.0.1:${port}`);
    await sub.client.subscribeAsync(`lunette/+/events/${handlerId}`, { qos: 1 });
    ids.push(...(await postDescriptors(boxApi, handlerId, 3, 12)));
    await waitFor(() => sub.messages.length >= 8);
    expect(sub.messages.map((m) => m.body.event_id)).toEqual(ids);
    await sub.client.endAsync();
    await box.close();
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends rows left undelivered by a closed appliance after it restarts', async () => {
    const port = await freePort();
    const dataDir = `${appliance.dataDir}-restart`;
    const first = await applianceOn(dataDir, { MQTT_URL: `mqtt://127.0.0.1:${port}` });
    const firstApi = apiClient(first.app, appliance.adminAuth);
    const handlerId = await createHandler(firstApi, [{ type: 'mqtt' }]);
    const ids = await postDescriptors(firstApi, handlerId, 4, 13);
    await first.close();
    const broker = await startPlainBroker(port);
    const sub = await collect(`mqtt://127.0.0.1:${port}`);
    await sub.client.subscribeAsync(`lunette/+/events/${handlerId}`, { qos: 1 });
    const second = await applianceOn(dataDir, { MQTT_URL: `mqtt://127.0.0.1:${port}` });
    await waitFor(() => sub.messages.length >= 4);
    expect(sub.messages.map((m) => m.body.event_id)).toEqual(ids);
    await sub.client.endAsync();
    await second.close();
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  });
});
