/** Sender test helpers: MQTT subscribers that collect messages, waiting, a throwaway broker. */
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { type Appliance, createAppliance } from '../../src/app.ts';
import { createLogger } from '../../src/logger/index.ts';
import { testConfig, testVision } from './appliance.ts';
import { randomUnit, seededGauss } from './synthetic-descriptors.ts';

/** A connected subscriber and what it received, in order. */
export interface Collector {
  client: MqttClient;
  messages: { topic: string; body: any }[];
}

/** Connects to `url` and collects every message. */
export async function collect(url: string, opts: mqtt.IClientOptions = {}): Promise<Collector> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, ...opts });
  const messages: Collector['messages'] = [];
  client.on('message', (topic, payload) => {
    messages.push({ topic, body: JSON.parse(payload.toString()) });
  });
  return { client, messages };
}

/** Polls `check` until it returns true or `ms` pass. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) {
      throw new Error('timed out waiting');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A plain aedes broker (no auth) on `port` of loopback, standing in for an outside broker. */
export async function startPlainBroker(port = 0) {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: async () => {
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A loopback port that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** An appliance on an existing data dir (restarts, several processes on one box). */
export async function applianceOn(
  dataDir: string,
  env: Record<string, string>,
): Promise<Appliance> {
  const config = testConfig(dataDir, {
    LUNETTE_SENDER_RETRY_MS: '50',
    LUNETTE_SENDER_RETRY_MAX_MS: '200',
    ...env,
  });
  return createAppliance({ config, vision: await testVision(), logger: createLogger({}) });
}

/** A JSON event-generation body of `n` random descriptors (no model run: fast). */
export function descriptorBody(n: number, seed: number) {
  const gauss = seededGauss(seed);
  const descriptors = Array.from({ length: n }, () => {
    const v = randomUnit(gauss);
    return { descriptor: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  });
  return { descriptors };
}
