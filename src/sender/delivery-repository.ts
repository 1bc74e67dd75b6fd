/**
 * libSQL rows of the outbox: the due queue heads, a queue's pending rows in order, the outcome
 * of each attempt, the deliveries of one event, and pruning of finished rows.
 */
import type { Database } from '../db/index.ts';
import type { FilterSubject } from '../events/index.ts';
import type { Callback } from './callback-schema.ts';

/** Final and waiting states of a delivery. */
export type DeliveryState = 'pending' | 'delivered' | 'filtered' | 'refused';

/** One outbox row. */
export interface Delivery {
  seq: number;
  deliveryId: string;
  eventId: string;
  accountId: string;
  handlerId: string;
  callbackIndex: number;
  callback: Callback;
  /** The event JSON as the API shows it. */
  payload: string;
  subject: FilterSubject;
  state: DeliveryState;
  attempts: number;
  nextAttemptTime: number;
  lastError: string | undefined;
  createTime: number;
  doneTime: number | undefined;
}

/** A queue: the deliveries of one callback of one handler, sent in `seq` order. */
export interface QueueKey {
  handlerId: string;
  callbackIndex: number;
}

/** Outbox storage. */
export interface DeliveryRepository {
  /** Queues whose oldest pending row is due at `now`. */
  dueQueues(now: number): Promise<QueueKey[]>;
  /** Time of the earliest retry among queue heads, or undefined when nothing is pending. */
  nextDue(): Promise<number | undefined>;
  pending(queue: QueueKey, limit: number): Promise<Delivery[]>;
  finish(
    seqs: number[],
    state: Exclude<DeliveryState, 'pending'>,
    now: number,
    note?: string,
  ): Promise<void>;
  retryLater(seq: number, error: string, nextAttemptTime: number): Promise<void>;
  /** Deliveries of an event in scope; undefined when no such event is in scope. */
  ofEvent(scope: string | undefined, eventId: string): Promise<Delivery[] | undefined>;
  /** Deletes finished rows done before `before`; returns how many. */
  prune(before: number): Promise<number>;
}

const HEADS = `SELECT d.handler_id, d.callback_index, d.next_attempt_time FROM deliveries d
  JOIN (SELECT MIN(seq) AS seq FROM deliveries WHERE state = 'pending'
        GROUP BY handler_id, callback_index) h ON d.seq = h.seq`;

function toDelivery(row: Record<string, unknown>): Delivery {
  return {
    seq: Number(row.seq),
    deliveryId: String(row.delivery_id),
    eventId: String(row.event_id),
    accountId: String(row.account_id),
    handlerId: String(row.handler_id),
    callbackIndex: Number(row.callback_index),
    callback: JSON.parse(String(row.callback)) as Callback,
    payload: String(row.payload),
    subject: JSON.parse(String(row.subject)) as FilterSubject,
    state: String(row.state) as DeliveryState,
    attempts: Number(row.attempts),
    nextAttemptTime: Number(row.next_attempt_time),
    lastError: (row.last_error as string | null) ?? undefined,
    createTime: Number(row.create_time),
    doneTime: row.done_time === null ? undefined : Number(row.done_time),
  };
}

/** Creates the outbox repository. */
export function createDeliveryRepository(db: Database): DeliveryRepository {
  return {
    async dueQueues(now) {
      const rs = await db.execute({ sql: `${HEADS} WHERE d.next_attempt_time <= ?`, args: [now] });
      return rs.rows.map((r) => ({
        handlerId: String(r.handler_id),
        callbackIndex: Number(r.callback_index),
      }));
    },

    async nextDue() {
      const rs = await db.execute(`SELECT MIN(next_attempt_time) AS t FROM (${HEADS})`);
      const t = rs.rows[0]?.t;
      return t === null || t === undefined ? undefined : Number(t);
    },

    async pending(queue, limit) {
      const rs = await db.execute({
        sql: `SELECT * FROM deliveries WHERE state = 'pending' AND handler_id = ?
          AND callback_index = ? ORDER BY seq LIMIT ?`,
        args: [queue.handlerId, queue.callbackIndex, limit],
      });
      return rs.rows.map(toDelivery);
    },

    async finish(seqs, state, now, note) {
      if (seqs.length === 0) {
        return;
      }
      await db.execute({
        sql: `UPDATE deliveries SET state = ?, done_time = ?, attempts = attempts + 1,
          last_error = ? WHERE seq IN (${seqs.map(() => '?').join(',')})`,
        args: [state, now, note ?? null, ...seqs],
      });
    },

    async retryLater(seq, error, nextAttemptTime) {
      await db.execute({
        sql: `UPDATE deliveries SET attempts = attempts + 1, last_error = ?,
          next_attempt_time = ? WHERE seq = ?`,
        args: [error.slice(0, 500), nextAttemptTime, seq],
      });
    },

    async ofEvent(scope, eventId) {
      const event = await db.execute({
        sql: 'SELECT 1 FROM events WHERE event_id = ? AND (? IS NULL OR account_id = ?)',
        args: [eventId, scope ?? null, scope ?? null],
      });
      if (event.rows.length === 0) {
        return undefined;
      }
      const rs = await db.execute({
        sql: `SELECT * FROM deliveries WHERE event_id = ? AND (? IS NULL OR account_id = ?)
          ORDER BY callback_index`,
        args: [eventId, scope ?? null, scope ?? null],
      });
      return rs.rows.map(toDelivery);
    },

    async prune(before) {
      const rs = await db.execute({
        sql: `DELETE FROM deliveries WHERE state != 'pending' AND done_time < ?`,
        args: [before],
      });
      return rs.rowsAffected;
    },
  };
}
