/**
 * Descriptors of further versions for stored events (a model upgrade): pages of events that
 * lack a version, with the samples they kept, and the insert of a new event descriptor row
 * beside the existing ones (never replacing them).
 */
import type { Database } from '../db/index.ts';
import { encodeDescriptor } from '../descriptors/index.ts';
import type { EventFilters } from './event-filters.ts';
import { filtersToSql } from './filter-sql.ts';

/** An event without a descriptor of some version, with the ids of its kept samples. */
export interface EventLackingVersion {
  eventId: string;
  /** Kept samples (rows that still exist); empty when the event kept none. */
  sampleIds: string[];
}

/** Which events a page reads: the filters, after `after` in event id order. */
export interface LackingQuery {
  filters: EventFilters;
  version: string;
  /** The time relative filter bounds (`now-3h`) are resolved at. */
  now: number;
  after: string | undefined;
  limit: number;
}

/** Adds descriptor versions to events. */
export interface EventDescriptorWriter {
  /** The next page of events of the account that have no descriptor of `q.version`. */
  lacking(accountId: string, q: LackingQuery): Promise<EventLackingVersion[]>;
  /** Stores the descriptor unless the event is gone or has that version; true if stored. */
  add(accountId: string, eventId: string, version: string, vector: Float32Array): Promise<boolean>;
  /** Events of the account that kept a sample and have no descriptor of `version`. */
  countLacking(accountId: string, version: string): Promise<number>;
}

const LACKS = `NOT EXISTS (SELECT 1 FROM event_descriptors d WHERE d.event_id = e.event_id
  AND d.descriptor_version = ?)`;

const KEPT_SAMPLES = `(SELECT json_group_array(s.sample_id) FROM json_each(e.body, '$.detections') j
  JOIN samples s ON s.sample_id = json_extract(j.value, '$.sampleId'))`;

/**
 * Told of each descriptor stored, after commit (the in-memory descriptors of the served
 * version); may read the event.
 */
export type DescriptorAdded = (
  accountId: string,
  eventId: string,
  version: string,
  vector: Float32Array,
) => Promise<void>;

/** Creates the libSQL event descriptor writer. */
export function createEventDescriptorWriter(
  db: Database,
  added?: DescriptorAdded,
): EventDescriptorWriter {
  return {
    async lacking(accountId, q) {
      const where = filtersToSql(accountId, q.filters, q.now);
      const rs = await db.execute({
        sql: `SELECT e.event_id, ${KEPT_SAMPLES} AS sample_ids FROM events e
          WHERE ${where.sql} AND ${LACKS} AND e.event_id > ? ORDER BY e.event_id LIMIT ?`,
        args: [...where.args, q.version, q.after ?? '', q.limit],
      });
      return rs.rows.map((r) => ({
        eventId: String(r.event_id),
        sampleIds: JSON.parse(String(r.sample_ids)) as string[],
      }));
    },
    async add(accountId, eventId, version, vector) {
      const rs = await db.execute({
        sql: `INSERT OR IGNORE INTO event_descriptors (event_id, account_id, descriptor_version,
          descriptor) SELECT event_id, account_id, ?, ? FROM events
          WHERE event_id = ? AND account_id = ?`,
        args: [version, encodeDescriptor(vector), eventId, accountId],
      });
      if (rs.rowsAffected === 0) {
        return false;
      }
      await added?.(accountId, eventId, version, vector);
      return true;
    },
    async countLacking(accountId, version) {
      const rs = await db.execute({
        sql: `SELECT COUNT(*) AS n FROM events e WHERE e.account_id = ? AND ${LACKS}
          AND json_array_length(${KEPT_SAMPLES}) > 0`,
        args: [accountId, version],
      });
      return Number(rs.rows[0]!.n);
    },
  };
}
