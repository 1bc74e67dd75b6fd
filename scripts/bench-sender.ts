/**
 * `npm run bench:sender [-- --events N]`: events per second delivered and p50/p99 from event
 * creation to receipt by an MQTT subscriber, for the embedded broker and for Mosquitto at
 * 127.0.0.1:1883 (skipped when it is not running). Events come from raw descriptors in batches
 * of 50, so the figures are the sender's (outbox, dispatcher, broker), not the models'.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { createAppliance } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger, setLogLevel } from '../src/logger/index.ts';
import { median, quantile } from './bench-support.ts';
import { scriptVision } from './script-vision.ts';

const args = process.argv.slice(2);
const EVENTS = args.includes('--events') ? Number(args[args.indexOf('--events') + 1]) : 2000;
const BATCH = 50;
const ADMIN = { login: 'bench@lunette.local', password: 'bench-password-1' };
const AUTH = `Basic ${Buffer.from(`${ADMIN.login}:${ADMIN.password}`).toString('base64')}`;

function descriptors(n: number) {
  return Array.from({ length: n }, () => {
    const v = new Float32Array(512).map(() => Math.random() - 0.5);
    const norm = Math.hypot(...v);
    const unit = v.map((x) => x / norm);
    return { descriptor: Buffer.from(unit.buffer).toString('base64') };
  });
}

async function run(label: string, env: Record<string, string>) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lunette-bench-sender-'));
  const config = loadConfig({
    ...process.env,
    LUNETTE_DATA_DIR: dataDir,
    LUNETTE_BOOTSTRAP_ADMIN: `${ADMIN.login}:${ADMIN.password}`,
    MQTT_LISTEN: '127.0.0.1:0',
    ...env,
  });
  const vision = await scriptVision(config, 1);
  const appliance = await createAppliance({ config, vision, logger: createLogger({}) });
  const request = async (url: string, body: unknown) =>
    await appliance.app.request(url, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const handler = await request('/6/handlers', {
    policies: {
      storage_policy: { face_sample_policy: { store_sample: 0 }, callbacks: [{ type: 'mqtt' }] },
    },
  }).then((r) => r.json() as Promise<{ handler_id: string }>);
  const accounts = await appliance.app.request('/6/accounts', { headers: { Authorization: AUTH } });
  const { accounts: list } = (await accounts.json()) as { accounts: { account_id: string }[] };
  const url = env.MQTT_URL ?? `mqtt://127.0.0.1:${appliance.mqttPort()}`;
  const auth = env.MQTT_URL ? {} : { username: ADMIN.login, password: ADMIN.password };
  const sub = await mqtt.connectAsync(url, { ...auth, reconnectPeriod: 0 });
  const latencies: number[] = [];
  sub.on('message', (_topic, payload) => {
    const event = JSON.parse(payload.toString()) as { create_time: string };
    latencies.push(Date.now() - Date.parse(event.create_time));
  });
  await sub.subscribeAsync(`lunette/${list[0]?.account_id}/events/${handler.handler_id}`, {
    qos: 1,
  });
  const started = performance.now();
  for (let sent = 0; sent < EVENTS; sent += BATCH) {
    await request(`/6/handlers/${handler.handler_id}/events`, { descriptors: descriptors(BATCH) });
  }
  while (latencies.length < EVENTS) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  process.stdout.write(
    `${label}: ${EVENTS} events, ${(EVENTS / seconds).toFixed(0)} events/s delivered, ` +
      `p50 ${median(sorted)} ms, p99 ${quantile(sorted, 0.99)} ms\n`,
  );
  await sub.endAsync();
  await appliance.close();
  await vision.close();
  await rm(dataDir, { recursive: true, force: true });
}

async function mosquittoUp(): Promise<boolean> {
  const client = await mqtt
    .connectAsync('mqtt://127.0.0.1:1883', { reconnectPeriod: 0, connectTimeout: 1000 })
    .catch(() => undefined);
  await client?.endAsync();
  return client !== undefined;
}

setLogLevel('error');
await run('embedded broker', {});
if (await mosquittoUp()) {
  await run('mosquitto', { MQTT_URL: 'mqtt://127.0.0.1:1883' });
} else {
  process.stdout.write('mosquitto: not running at 127.0.0.1:1883, skipped\n');
}
