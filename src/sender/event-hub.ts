/**
 * Fan-out of events to WebSocket subscribers. In-process by default; with Redis, every
 * appliance process on the box publishes to and listens on one Redis channel, so a subscriber
 * connected to any process gets the events every process made.
 */
import type { FilterSubject } from '../events/index.ts';
import { type Channel, retryOn } from './channel.ts';

/** One event on its way to WebSocket subscribers. */
export interface HubMessage {
  accountId: string;
  subject: FilterSubject;
  /** The event JSON as the API shows it. */
  payload: string;
}

/** Publish and listen. */
export interface EventHub {
  publish(message: HubMessage): Promise<void>;
  /** Adds a listener; returns its removal. */
  listen(listener: (message: HubMessage) => void): () => void;
  close(): Promise<void>;
}

/** A set of listeners that a hub calls. */
export function listenerSet() {
  const listeners = new Set<(message: HubMessage) => void>();
  return {
    add(listener: (message: HubMessage) => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(message: HubMessage) {
      for (const listener of listeners) {
        listener(message);
      }
    },
  };
}

/** The in-process hub. */
export function createLocalHub(): EventHub {
  const listeners = listenerSet();
  return {
    publish: async (message) => listeners.emit(message),
    listen: listeners.add,
    close: async () => {},
  };
}

/** The `ws` callback channel: hands deliveries to the hub. */
export function hubChannel(hub: EventHub): Channel {
  return {
    send: (d) =>
      hub
        .publish({ accountId: d.accountId, subject: d.subject, payload: d.payload })
        .then(() => ({ kind: 'sent' }) as const, retryOn),
  };
}
