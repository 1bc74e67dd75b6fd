/**
 * Reads of stored events from libSQL: one event, filtered pages (offset or keyset on the
 * time-ordered event id), statistics, and the descriptor of one event. Every read
 * takes the account to read from, or undefined for every account.
 */
import type { Database } from '../db/index.ts';
import { decodeDescriptor } from '../descriptors/index.ts';
import type { EventFilters } from './event-filters.ts';
import type { EventRecord } from './event-record.ts';
import { EVENT_COLUMNS, eventFromRow } from './event-rows.ts';
import { filtersToSql } from './filter-sql.ts';
import {
  type StatisticsGroup,
  type StatisticsSpec,
  statisticsGroupOf,
  statisticsSql,
} from './statistics.ts';

/** A filtered page of events, newest first. */
export interface EventQuery {
  filters: EventFilters;
  page: number;
  pageSize: number;
  now: number;
}

/** Data access for stored events. */
export interface EventRepository {
  find(scope: string | undefined, eventId: string): Promise<EventRecord | undefined>;
  /** Those of `eventIds` the scope may read, in no particular order. */
  findMany(scope: string | undefined, eventIds: string[]): Promise<EventRecord[]>;
  query(scope: string | undefined, q: EventQuery): Promise<EventRecord[]>;
  statistics(
    scope: string | undefined,
    filters: EventFilters,
    spec: StatisticsSpec,
    now: number,
  ): Promise<StatisticsGroup[]>;
  descriptorOf(
    scope: string | undefined,
    eventId: string,
    version: string,
  ): Promise<Float32Array | undefined>;
  /** True when the event exists in the scope. */
  exists(scope: string | undefined, eventId: string): Promise<boolean>;
  /** Content type of a kept photo, or undefined when the scope has no such photo. */
  originType(scope: string | undefined, imageId: string): Promise<string | undefined>;
}

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** Creates the libSQL event repository. */
export function createEventRepository(db: Database): EventRepository {
  const scopeSql = 'e.account_id = COALESCE(?, e.account_id)';

  return {
    async find(scope, eventId) {
      const rs = await db.execute({
        sql: `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.event_id = ? AND ${scopeSql}`,
        args: [eventId, scope ?? null],
      });
      return rs.rows[0] ? eventFromRow(rs.rows[0]) : undefined;
    },
    async findMany(scope, eventIds) {
      if (eventIds.length === 0) {
        return [];
      }
      const rs = await db.execute({
        sql: `SELECT ${EVENT_COLUMNS} FROM events e
          WHERE e.event_id IN (${marks(eventIds.length)}) AND ${scopeSql}`,
        args: [...eventIds, scope ?? null],
      });
      return rs.rows.map(eventFromRow);
    },
    async query(scope, q) {
      const where = filtersToSql(scope, q.filters, q.now);
      const rs = await db.execute({
        sql: `SELECT ${EVENT_COLUMNS} FROM events e WHERE ${where.sql}
          ORDER BY e.event_id DESC LIMIT ? OFFSET ?`,
        args: [...where.args, q.pageSize, (q.page - 1) * q.pageSize],
      });
      return rs.rows.map(eventFromRow);
    },
    async statistics(scope, filters, spec, now) {
      const rs = await db.execute(statisticsSql(spec, filtersToSql(scope, filters, now)));
      return rs.rows.map((row) => statisticsGroupOf(spec, row));
    },
    async descriptorOf(scope, eventId, version) {
      const rs = await db.execute({
        sql: `SELECT d.descriptor FROM event_descriptors d JOIN events e ON e.event_id = d.event_id
          WHERE d.event_id = ? AND d.descriptor_version = ? AND ${scopeSql}`,
        args: [eventId, version, scope ?? null],
      });
      const blob = rs.rows[0]?.descriptor as ArrayBuffer | undefined;
      return blob ? decodeDescriptor(blob) : undefined;
    },
    async exists(scope, eventId) {
      const rs = await db.execute({
        sql: `SELECT 1 FROM events e WHERE e.event_id = ? AND ${scopeSql}`,
        args: [eventId, scope ?? null],
      });
      return rs.rows.length > 0;
    },
    async originType(scope, imageId) {
      const rs = await db.execute({
        sql: `SELECT content_type FROM origin_images
          WHERE image_id = ? AND account_id = COALESCE(?, account_id)`,
        args: [imageId, scope ?? null],
      });
      return rs.rows[0] ? String(rs.rows[0].content_type) : undefined;
    },
  };
}
