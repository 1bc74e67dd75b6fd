/**
 * The door every transport goes through: MQTT, HTTP and the WebSocket hub each send one
 * delivery and say how it went. Expected failures are values; the dispatcher decides on them.
 */
import type { Delivery } from './delivery-repository.ts';

/** How one attempt went: sent, worth retrying, or never going to work. */
export type SendResult =
  | { kind: 'sent' }
  | { kind: 'retry'; reason: string }
  | { kind: 'refused'; reason: string };

/** One transport. */
export interface Channel {
  send(delivery: Delivery): Promise<SendResult>;
}

/** A channel per callback type. */
export type Channels = Record<Delivery['callback']['type'], Channel>;

/** The result of a thrown error: retried, with its message. */
export function retryOn(err: unknown): SendResult {
  return { kind: 'retry', reason: err instanceof Error ? err.message : String(err) };
}

/** The MQTT topic of a delivery: `lunette/<account_id>/events/<handler_id>[/<suffix>]`. */
export function topicOf(d: Delivery): string {
  const base = `lunette/${d.accountId}/events/${d.handlerId}`;
  return d.callback.type === 'mqtt' && d.callback.topic_suffix
    ? `${base}/${d.callback.topic_suffix}`
    : base;
}

/** The QoS a delivery is published with. */
export function qosOf(d: Delivery): 0 | 1 | 2 {
  return d.callback.type === 'mqtt' ? d.callback.qos : 1;
}
