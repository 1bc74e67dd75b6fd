/**
 * Publishing to an outside broker (`MQTT_URL`, e.g. Mosquitto) with the `mqtt` client. The
 * client reconnects by itself; while it is offline a delivery fails at once and the outbox
 * retries it, so nothing waits in an in-memory queue that a restart would lose.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../logger/index.ts';
import { type Channel, qosOf, retryOn, topicOf } from './channel.ts';

/** The channel plus the client's shutdown. */
export interface MqttClientChannel {
  channel: Channel;
  close(): Promise<void>;
}

const PUBLISH_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('publish timed out')), ms)),
  ]);
}

function watch(client: MqttClient, url: string, logger: Logger): void {
  let down = false;
  client.on('connect', () => {
    down = false;
    logger.info('mqtt_connected', { url });
  });
  client.on('error', (err) => {
    if (!down) {
      logger.warn('mqtt_unreachable', { url, error: err.message });
    }
    down = true;
  });
}

/** Connects (in the background) to `url`; reconnects every `reconnectMs`. */
export function createMqttClientChannel(
  url: string,
  reconnectMs: number,
  logger: Logger,
): MqttClientChannel {
  const client = mqtt.connect(url, {
    reconnectPeriod: reconnectMs,
    connectTimeout: 5000,
    clientId: `lunette-${crypto.randomUUID()}`,
  });
  watch(client, url, logger);
  const channel: Channel = {
    async send(d) {
      if (!client.connected) {
        return { kind: 'retry', reason: `broker ${url} not connected` };
      }
      const publish = client.publishAsync(topicOf(d), d.payload, { qos: qosOf(d) });
      return withTimeout(publish, PUBLISH_TIMEOUT_MS).then(
        () => ({ kind: 'sent' }) as const,
        retryOn,
      );
    },
  };
  return { channel, close: () => client.endAsync(true) };
}
