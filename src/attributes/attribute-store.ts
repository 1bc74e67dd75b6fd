/**
 * Temporary attributes (descriptor plus basic attributes) kept for a TTL. This is the libSQL
 * store; an expired attribute reads as missing and is swept away in the background.
 */
import type { Database } from '../db/index.ts';
import { decodeDescriptor, encodeDescriptor } from '../descriptors/index.ts';
import type { FaceEstimations } from '../estimations/index.ts';

/** Age in years and gender (0 female, 1 male) estimated from a face. */
export interface BasicAttributes {
  age: number;
  gender: number;
}

/** One temporary attribute. */
export interface AttributeRecord {
  attributeId: string;
  accountId: string;
  createTime: number;
  expireTime: number;
  descriptor: Float32Array | undefined;
  descriptorVersion: string | undefined;
  basicAttributes: BasicAttributes | undefined;
  sampleIds: string[];
  /** What was estimated for each sample (same order as `sampleIds`; null where nothing). */
  sampleEstimations?: (FaceEstimations | null)[];
}

/** Storage of temporary attributes; implementations: libSQL here, Redis when configured. */
export interface AttributeStore {
  put(record: AttributeRecord): Promise<void>;
  /** The live attribute, or undefined when missing, expired or another account's. */
  get(accountId: string, attributeId: string): Promise<AttributeRecord | undefined>;
  remove(accountId: string, attributeId: string): Promise<boolean>;
  /** Deletes attributes expired at `now`; returns how many. */
  sweepExpired(now: number): Promise<number>;
}

function rowToRecord(row: Record<string, unknown>): AttributeRecord {
  const blob = row.descriptor as ArrayBuffer | null;
  const basic = row.basic_attributes as string | null;
  return {
    attributeId: String(row.attribute_id),
    accountId: String(row.account_id),
    createTime: Number(row.create_time),
    expireTime: Number(row.expire_time),
    descriptor: blob ? decodeDescriptor(blob) : undefined,
    descriptorVersion: (row.descriptor_version as string | null) ?? undefined,
    basicAttributes: basic ? (JSON.parse(basic) as BasicAttributes) : undefined,
    sampleIds: JSON.parse(String(row.sample_ids)) as string[],
    sampleEstimations: row.sample_estimations
      ? (JSON.parse(String(row.sample_estimations)) as (FaceEstimations | null)[])
      : undefined,
  };
}

const SELECT_ATTRIBUTE = `SELECT a.*, e.sample_estimations FROM attributes a
  LEFT JOIN attribute_estimations e USING (attribute_id)`;

/** Creates the libSQL attribute store. */
export function createSqlAttributeStore(db: Database): AttributeStore {
  return {
    async put(r) {
      const estimations = r.sampleEstimations && {
        sql: 'INSERT INTO attribute_estimations VALUES (?, ?)',
        args: [r.attributeId, JSON.stringify(r.sampleEstimations)],
      };
      const row = {
        sql: 'INSERT INTO attributes VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        args: [
          r.attributeId,
          r.accountId,
          r.createTime,
          r.expireTime,
          r.descriptor ? encodeDescriptor(r.descriptor) : null,
          r.descriptorVersion ?? null,
          r.basicAttributes ? JSON.stringify(r.basicAttributes) : null,
          JSON.stringify(r.sampleIds),
        ],
      };
      await db.batch(estimations ? [row, estimations] : [row], 'write');
    },
    async get(accountId, attributeId) {
      const rs = await db.execute({
        sql: `${SELECT_ATTRIBUTE} WHERE a.attribute_id = ? AND a.account_id = ?
          AND a.expire_time > ?`,
        args: [attributeId, accountId, Date.now()],
      });
      return rs.rows[0] ? rowToRecord(rs.rows[0]) : undefined;
    },
    async remove(accountId, attributeId) {
      const rs = await db.execute({
        sql: 'DELETE FROM attributes WHERE attribute_id = ? AND account_id = ?',
        args: [attributeId, accountId],
      });
      return rs.rowsAffected > 0;
    },
    async sweepExpired(now) {
      const rs = await db.execute({
        sql: 'DELETE FROM attributes WHERE expire_time <= ?',
        args: [now],
      });
      return rs.rowsAffected;
    },
  };
}
