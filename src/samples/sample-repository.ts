/** libSQL rows of face samples: where each warped crop came from and how it was detected. */
import type { InStatement } from '@libsql/client';
import type { Database } from '../db/index.ts';
import type { FaceEstimations } from '../estimations/index.ts';

/** A detected face as stored with its sample. */
export interface StoredDetection {
  rect: { x: number; y: number; width: number; height: number };
  score: number;
  landmarks5: [number, number][];
}

/** One sample row. */
export interface SampleRow {
  sampleId: string;
  accountId: string;
  createTime: number;
  sourceWidth: number;
  sourceHeight: number;
  detection: StoredDetection;
  /** What was estimated when the sample was detected (at least face size and eye distance). */
  estimations?: FaceEstimations;
}

/** Data access for samples; every read is scoped to an account. */
export interface SampleRepository {
  insertMany(rows: SampleRow[]): Promise<void>;
  find(accountId: string, sampleId: string): Promise<SampleRow | undefined>;
  /** Those of `sampleIds` the account owns, in no particular order. */
  findMany(accountId: string, sampleIds: string[]): Promise<SampleRow[]>;
  /**
   * Deletes a sample no face holds, in one statement. Otherwise says why not: `missing`, or the
   * first faces (up to {@link HOLDERS_LISTED}) whose `sample_ids` name it.
   */
  remove(accountId: string, sampleId: string): Promise<SampleRemoval>;
}

/** What {@link SampleRepository.remove} did. */
export type SampleRemoval = { removed: true } | { removed: false; heldBy: string[] };

/** Face ids a refused removal names. */
export const HOLDERS_LISTED = 10;

// Sample ids are UUIDs, so the quoted id inside the JSON array matches only that id.
const HELD_BY_FACE = `SELECT face_id FROM faces
  WHERE account_id = ? AND sample_ids LIKE '%"' || ? || '"%'`;

function rowToSample(row: Record<string, unknown>): SampleRow {
  return {
    sampleId: String(row.sample_id),
    accountId: String(row.account_id),
    createTime: Number(row.create_time),
    sourceWidth: Number(row.source_width),
    sourceHeight: Number(row.source_height),
    detection: JSON.parse(String(row.detection)) as StoredDetection,
    estimations: row.estimations
      ? (JSON.parse(String(row.estimations)) as FaceEstimations)
      : undefined,
  };
}

const SELECT_SAMPLE =
  'SELECT s.*, e.estimations FROM samples s LEFT JOIN sample_estimations e USING (sample_id)';

/** The statements that insert sample rows (for callers that commit them with other rows). */
export function sampleInsertStatements(rows: SampleRow[]): InStatement[] {
  return rows.flatMap((r) => [
    {
      sql: 'INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?)',
      args: [
        r.sampleId,
        r.accountId,
        r.createTime,
        r.sourceWidth,
        r.sourceHeight,
        JSON.stringify(r.detection),
      ],
    },
    ...(r.estimations
      ? [
          {
            sql: 'INSERT INTO sample_estimations VALUES (?, ?)',
            args: [r.sampleId, JSON.stringify(r.estimations)],
          },
        ]
      : []),
  ]);
}

/** Creates the libSQL-backed sample repository. */
export function createSampleRepository(db: Database): SampleRepository {
  return {
    async insertMany(rows) {
      await db.batch(sampleInsertStatements(rows), 'write');
    },
    async find(accountId, sampleId) {
      const rs = await db.execute({
        sql: `${SELECT_SAMPLE} WHERE s.sample_id = ? AND s.account_id = ?`,
        args: [sampleId, accountId],
      });
      return rs.rows[0] ? rowToSample(rs.rows[0]) : undefined;
    },
    async findMany(accountId, sampleIds) {
      if (sampleIds.length === 0) {
        return [];
      }
      const marks = sampleIds.map(() => '?').join(',');
      const rs = await db.execute({
        sql: `${SELECT_SAMPLE} WHERE s.account_id = ? AND s.sample_id IN (${marks})`,
        args: [accountId, ...sampleIds],
      });
      return rs.rows.map(rowToSample);
    },
    async remove(accountId, sampleId) {
      const rs = await db.execute({
        sql: `DELETE FROM samples WHERE sample_id = ? AND account_id = ?
          AND NOT EXISTS (${HELD_BY_FACE})`,
        args: [sampleId, accountId, accountId, sampleId],
      });
      if (rs.rowsAffected > 0) {
        return { removed: true };
      }
      const holders = await db.execute({
        sql: `${HELD_BY_FACE} ORDER BY face_id LIMIT ${HOLDERS_LISTED}`,
        args: [accountId, sampleId],
      });
      return { removed: false, heldBy: holders.rows.map((r) => String(r.face_id)) };
    },
  };
}
