/**
 * The outbox: an events hook whose rows join the event's own transaction. One delivery row per
 * stored event and callback of its handler, the callback copied from the handler's policies
 * by SQL in that same transaction, so an event and its deliveries exist together or not at all.
 */
import type { InStatement } from '@libsql/client';
import { type EventRecord, type EventSaveHook, eventView, subjectOf } from '../events/index.ts';

const INSERT_DELIVERIES = `INSERT INTO deliveries (delivery_id, event_id, account_id, handler_id,
    callback_index, callback, payload, subject, next_attempt_time, create_time)
  SELECT ? || ':' || cb.key, ?, ?, h.handler_id, cb.key, cb.value, ?, ?, ?, ?
  FROM handlers h, json_each(h.policies, '$.storage_policy.callbacks') cb
  WHERE h.handler_id = ?
  ORDER BY cb.key`;

function deliveryStatement(event: EventRecord, now: number): InStatement {
  return {
    sql: INSERT_DELIVERIES,
    args: [
      event.eventId,
      event.eventId,
      event.accountId,
      JSON.stringify(eventView(event)),
      JSON.stringify(subjectOf(event)),
      now,
      now,
      event.handlerId ?? null,
    ],
  };
}

/** The hook: outbox rows in the event's batch; `committed` wakes the dispatcher. */
export function outboxHook(wake: () => void): EventSaveHook {
  return {
    statements: (events) =>
      events.filter((e) => e.handlerId !== undefined).map((e) => deliveryStatement(e, Date.now())),
    committed: (events) => {
      if (events.length > 0) {
        wake();
      }
    },
  };
}
