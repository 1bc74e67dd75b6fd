/**
 * The deletes of garbage collection, each bounded to one batch: old samples no face holds,
 * old temporary attributes, and descriptors of a retired version (faces first, then events).
 * Every statement is scoped to one account and is safe to repeat.
 */
import type { Database } from '../../db/index.ts';

/** Where a sample scan stands: after this sample in (create_time, sample_id) order. */
export interface SampleCursor {
  createTime: number;
  sampleId: string;
}

/** Deletes of the gc task. */
export interface GcRepository {
  /** Sample ids of faces of the account created at or after `since` (all faces: 0). */
  faceSampleIds(accountId: string, since: number): Promise<Set<string>>;
  /** The next `limit` samples created before `cutoff`, after `after`. */
  oldSamples(
    accountId: string,
    cutoff: number,
    after: SampleCursor | undefined,
    limit: number,
  ): Promise<SampleCursor[]>;
  /** Deletes these samples' rows; returns how many went. */
  deleteSamples(accountId: string, sampleIds: string[]): Promise<number>;
  deleteAttributes(accountId: string, cutoff: number, limit: number): Promise<number>;
  deleteDescriptors(accountId: string, version: string, limit: number): Promise<number>;
}

/** Creates the libSQL gc repository. */
export function createGcRepository(db: Database): GcRepository {
  return {
    async faceSampleIds(accountId, since) {
      const rs = await db.execute({
        sql: `SELECT j.value AS sample_id FROM faces f, json_each(f.sample_ids) j
          WHERE f.account_id = ? AND f.create_time >= ?`,
        args: [accountId, since],
      });
      return new Set(rs.rows.map((r) => String(r.sample_id)));
    },
    async oldSamples(accountId, cutoff, after, limit) {
      const rs = await db.execute({
        sql: `SELECT sample_id, create_time FROM samples WHERE account_id = ? AND create_time < ?
          AND (create_time, sample_id) > (?, ?) ORDER BY create_time, sample_id LIMIT ?`,
        args: [accountId, cutoff, after?.createTime ?? -1, after?.sampleId ?? '', limit],
      });
      return rs.rows.map((r) => ({
        sampleId: String(r.sample_id),
        createTime: Number(r.create_time),
      }));
    },
    async deleteSamples(accountId, sampleIds) {
      if (sampleIds.length === 0) {
        return 0;
      }
      const rs = await db.execute({
        sql: `DELETE FROM samples WHERE account_id = ?
          AND sample_id IN (${sampleIds.map(() => '?').join(',')})`,
        args: [accountId, ...sampleIds],
      });
      return rs.rowsAffected;
    },
    async deleteAttributes(accountId, cutoff, limit) {
      const rs = await db.execute({
        sql: `DELETE FROM attributes WHERE attribute_id IN (SELECT attribute_id FROM attributes
          WHERE account_id = ? AND create_time < ? LIMIT ?)`,
        args: [accountId, cutoff, limit],
      });
      return rs.rowsAffected;
    },
    async deleteDescriptors(accountId, version, limit) {
      const faces = await db.execute({
        sql: `DELETE FROM face_descriptors WHERE rowid IN (SELECT d.rowid FROM face_descriptors d
          JOIN faces f ON f.face_id = d.face_id
          WHERE f.account_id = ? AND d.descriptor_version = ? LIMIT ?)`,
        args: [accountId, version, limit],
      });
      const left = limit - faces.rowsAffected;
      if (left === 0) {
        return limit;
      }
      const events = await db.execute({
        sql: `DELETE FROM event_descriptors WHERE rowid IN (SELECT rowid FROM event_descriptors
          WHERE account_id = ? AND descriptor_version = ? LIMIT ?)`,
        args: [accountId, version, left],
      });
      return faces.rowsAffected + events.rowsAffected;
    },
  };
}
