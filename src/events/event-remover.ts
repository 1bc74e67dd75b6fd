/**
 * Retention of events: removes events picked by filters and age with everything hanging off
 * them (tags, best matches, descriptors by cascade; kept samples no face holds; kept photos;
 * their temporary attribute), or only the kept photos of such events. Batches walk the
 * time-ordered event id; rows go in one transaction first, files after, so a crash in between
 * leaves a stray file, never a served row without its file. Every batch is safe to repeat.
 */
import type { InStatement } from '@libsql/client';
import type { AttributeStore } from '../attributes/index.ts';
import type { Database } from '../db/index.ts';
import type { FileStore } from '../images/index.ts';
import type { EventFilters } from './event-filters.ts';
import { filtersToSql } from './filter-sql.ts';

/** Which events one batch looks at: the filters, created before `createTimeLt`, after `after`. */
export interface RemovalQuery {
  filters: EventFilters;
  createTimeLt: number;
  /** The time relative filter bounds (`now-3h`) are resolved at. */
  now: number;
  /** Event id the previous batch ended on (undefined: from the oldest). */
  after: string | undefined;
  limit: number;
}

/** What one batch did. */
export interface RemovalBatch {
  /** Events the batch looked at; fewer than the limit means the walk is over. */
  scanned: number;
  /** The last event id looked at, the cursor of the next batch. */
  last: string | undefined;
  events: number;
  samples: number;
  /** Samples of removed events kept because a face holds them. */
  samplesKept: number;
  origins: number;
}

/** Removal of stored events and their kept files. */
export interface EventRemover {
  /** Removes the next batch of events with their rows, samples, photos and attribute. */
  removeEvents(accountId: string, q: RemovalQuery): Promise<RemovalBatch>;
  /** Removes the kept photos of the next batch of events; the events stay, unlinked. */
  removeOrigins(accountId: string, q: RemovalQuery): Promise<RemovalBatch>;
}

/** What the remover touches. */
export interface EventRemoverDeps {
  db: Database;
  sampleFiles: FileStore;
  originFiles: FileStore;
  attributes: AttributeStore;
  /** Told the ids of removed events once their rows are gone (the in-memory descriptors). */
  removed?: (eventIds: string[]) => void;
}

interface Picked {
  eventId: string;
  body: { detections: { sampleId: string | null; imageOriginId: string | null }[] };
  attributeId: string | undefined;
}

const HAS_ORIGIN = `EXISTS (SELECT 1 FROM json_each(e.body, '$.detections') d
  WHERE json_extract(d.value, '$.imageOriginId') IS NOT NULL)`;

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function idsOf(picked: Picked[], key: 'sampleId' | 'imageOriginId'): string[] {
  return [...new Set(picked.flatMap((p) => p.body.detections.flatMap((d) => d[key] ?? [])))];
}

/** Creates the libSQL event remover. */
export function createEventRemover(deps: EventRemoverDeps): EventRemover {
  const { db } = deps;

  async function pick(accountId: string, q: RemovalQuery, extra?: string): Promise<Picked[]> {
    const where = filtersToSql(accountId, q.filters, q.now);
    const rs = await db.execute({
      sql: `SELECT e.event_id, e.body FROM events e WHERE ${where.sql}
        AND e.create_time < ? AND e.event_id > ?${extra ? ` AND ${extra}` : ''}
        ORDER BY e.event_id LIMIT ?`,
      args: [...where.args, q.createTimeLt, q.after ?? '', q.limit],
    });
    return rs.rows.map((r) => {
      const body = JSON.parse(String(r.body)) as Picked['body'] & { attributeId?: string };
      return { eventId: String(r.event_id), body, attributeId: body.attributeId };
    });
  }

  async function heldByFaces(accountId: string, sampleIds: string[]): Promise<Set<string>> {
    if (sampleIds.length === 0) {
      return new Set();
    }
    const rs = await db.execute({
      sql: `SELECT DISTINCT j.value AS sample_id FROM faces f, json_each(f.sample_ids) j
        WHERE f.account_id = ? AND j.value IN (${marks(sampleIds.length)})`,
      args: [accountId, ...sampleIds],
    });
    return new Set(rs.rows.map((r) => String(r.sample_id)));
  }

  function deleteIn(table: string, column: string, accountId: string, ids: string[]) {
    return {
      sql: `DELETE FROM ${table} WHERE account_id = ? AND ${column} IN (${marks(ids.length)})`,
      args: [accountId, ...ids],
    };
  }

  function batchOf(picked: Picked[]): Pick<RemovalBatch, 'scanned' | 'last'> {
    return { scanned: picked.length, last: picked.at(-1)?.eventId };
  }

  return {
    async removeEvents(accountId, q) {
      const picked = await pick(accountId, q);
      const candidates = idsOf(picked, 'sampleId');
      const held = await heldByFaces(accountId, candidates);
      const samples = candidates.filter((id) => !held.has(id));
      const origins = idsOf(picked, 'imageOriginId');
      const eventIds = picked.map((p) => p.eventId);
      const statements: InStatement[] = [];
      for (const [table, column, ids] of [
        ['events', 'event_id', eventIds],
        // The sender's outbox rows carry the event JSON: a removed event is not sent later.
        ['deliveries', 'event_id', eventIds],
        ['samples', 'sample_id', samples],
        ['origin_images', 'image_id', origins],
      ] as const) {
        if (ids.length > 0) {
          statements.push(deleteIn(table, column, accountId, ids));
        }
      }
      const results = statements.length > 0 ? await db.batch(statements, 'write') : [];
      if (eventIds.length > 0) {
        deps.removed?.(eventIds);
      }

      await Promise.all([
        ...samples.map((id) => deps.sampleFiles.remove(id)),
        ...origins.map((id) => deps.originFiles.remove(id)),
        ...picked.flatMap((p) =>
          p.attributeId ? [deps.attributes.remove(accountId, p.attributeId)] : [],
        ),
      ]);
      return {
        ...batchOf(picked),
        events: results[0]?.rowsAffected ?? 0,
        samples: samples.length,
        samplesKept: held.size,
        origins: origins.length,
      };
    },

    async removeOrigins(accountId, q) {
      const picked = await pick(accountId, q, HAS_ORIGIN);
      const origins = idsOf(picked, 'imageOriginId');
      const unlink: InStatement[] = picked.map((p) => ({
        sql: `UPDATE events SET body = json_set(body, '$.detections', json(?))
          WHERE event_id = ? AND account_id = ?`,
        args: [
          JSON.stringify(p.body.detections.map((d) => ({ ...d, imageOriginId: null }))),
          p.eventId,
          accountId,
        ],
      }));
      if (picked.length > 0) {
        const rows =
          origins.length > 0 ? [deleteIn('origin_images', 'image_id', accountId, origins)] : [];
        await db.batch([...unlink, ...rows], 'write');
      }

      await Promise.all(origins.map((id) => deps.originFiles.remove(id)));
      return {
        ...batchOf(picked),
        events: 0,
        samples: 0,
        samplesKept: 0,
        origins: origins.length,
      };
    },
  };
}
