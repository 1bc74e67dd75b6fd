/** libSQL rows of faces, their versioned descriptors and their list links. */
import type { InStatement, Transaction } from '@libsql/client';
import type { BasicAttributes } from '../attributes/index.ts';
import type { Database } from '../db/index.ts';
import { decodeDescriptor, encodeDescriptor } from '../descriptors/index.ts';
import { AppError } from '../errors/index.ts';

/** One face as stored. */
export interface FaceRow {
  faceId: string;
  accountId: string;
  createTime: number;
  userData: string;
  externalId: string | undefined;
  basicAttributes: BasicAttributes | undefined;
  sampleIds: string[];
  listIds: string[];
  descriptorVersions: string[];
}

/** A descriptor with its version. */
export interface FaceDescriptor {
  version: string;
  vector: Float32Array;
}

/** A new face with its descriptor and lists. */
export interface NewFace extends Omit<FaceRow, 'descriptorVersions'> {
  descriptor: FaceDescriptor | undefined;
  /** Descriptors of further versions (during a model upgrade). */
  moreDescriptors?: FaceDescriptor[];
}

/** Every descriptor of a new face, its own first. */
export function descriptorsOf(face: NewFace): FaceDescriptor[] {
  return [...(face.descriptor ? [face.descriptor] : []), ...(face.moreDescriptors ?? [])];
}

/** Filters and page of a face query. */
export interface FaceQuery {
  listId?: string;
  externalId?: string;
  faceIds?: string[];
  createTimeGte?: number;
  createTimeLt?: number;
  page: number;
  pageSize: number;
}

/**
 * Data access for faces; every call is scoped to an account. Reads (`find`, `query`,
 * `existing`, `descriptors`) take `undefined` for every account (advanced_user, admin).
 */
export interface FaceRepository {
  /**
   * Inserts a face with its descriptors and list links once its samples are all still stored,
   * in one write transaction (a sample deleted meanwhile cannot leave a dangling id). Throws
   * AppError `not_found` naming the first missing sample.
   */
  insert(face: NewFace): Promise<void>;
  find(accountId: string | undefined, faceId: string): Promise<FaceRow | undefined>;
  query(accountId: string | undefined, q: FaceQuery): Promise<{ rows: FaceRow[]; count: number }>;
  update(
    accountId: string,
    faceId: string,
    patch: { userData?: string; externalId?: string },
  ): Promise<boolean>;
  remove(accountId: string, faceId: string): Promise<boolean>;
  /** Those of `faceIds` the account owns. */
  existing(accountId: string | undefined, faceIds: string[]): Promise<Set<string>>;
  link(listId: string, faceIds: string[]): Promise<void>;
  unlink(listId: string, faceIds: string[]): Promise<void>;
  /** Descriptors of `version` for the account's faces among `faceIds`. */
  descriptors(
    accountId: string | undefined,
    faceIds: string[],
    version: string,
  ): Promise<Map<string, Float32Array>>;
}

const SELECT_FACE = `SELECT f.*,
  (SELECT json_group_array(list_id) FROM list_faces WHERE face_id = f.face_id) AS list_ids,
  (SELECT json_group_array(descriptor_version) FROM face_descriptors WHERE face_id = f.face_id)
    AS versions
  FROM faces f`;

function rowToFace(row: Record<string, unknown>): FaceRow {
  const basic = row.basic_attributes as string | null;
  return {
    faceId: String(row.face_id),
    accountId: String(row.account_id),
    createTime: Number(row.create_time),
    userData: String(row.user_data),
    externalId: (row.external_id as string | null) ?? undefined,
    basicAttributes: basic ? (JSON.parse(basic) as BasicAttributes) : undefined,
    sampleIds: JSON.parse(String(row.sample_ids)) as string[],
    listIds: JSON.parse(String(row.list_ids)) as string[],
    descriptorVersions: JSON.parse(String(row.versions)) as string[],
  };
}

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

function whereOf(
  accountId: string | undefined,
  q: FaceQuery,
): { sql: string; args: (string | number)[] } {
  const parts = accountId === undefined ? ['1 = 1'] : ['f.account_id = ?'];
  const args: (string | number)[] = accountId === undefined ? [] : [accountId];
  if (q.listId) {
    parts.push('f.face_id IN (SELECT face_id FROM list_faces WHERE list_id = ?)');
    args.push(q.listId);
  }
  if (q.externalId !== undefined) {
    parts.push('f.external_id = ?');
    args.push(q.externalId);
  }
  if (q.faceIds) {
    parts.push(`f.face_id IN (${marks(q.faceIds.length)})`);
    args.push(...q.faceIds);
  }
  if (q.createTimeGte !== undefined) {
    parts.push('f.create_time >= ?');
    args.push(q.createTimeGte);
  }
  if (q.createTimeLt !== undefined) {
    parts.push('f.create_time < ?');
    args.push(q.createTimeLt);
  }
  return { sql: parts.join(' AND '), args };
}

/** The statements that insert `face` with its descriptor and list links (one transaction). */
export function faceInsertStatements(face: NewFace): InStatement[] {
  const statements: InStatement[] = [
    {
      sql: 'INSERT INTO faces VALUES (?, ?, ?, ?, ?, ?, ?)',
      args: [
        face.faceId,
        face.accountId,
        face.createTime,
        face.userData,
        face.externalId ?? null,
        face.basicAttributes ? JSON.stringify(face.basicAttributes) : null,
        JSON.stringify(face.sampleIds),
      ],
    },
  ];
  for (const d of descriptorsOf(face)) {
    statements.push({
      sql: 'INSERT INTO face_descriptors VALUES (?, ?, ?)',
      args: [face.faceId, d.version, encodeDescriptor(d.vector)],
    });
  }
  for (const listId of face.listIds) {
    statements.push({
      sql: 'INSERT INTO list_faces VALUES (?, ?, ?)',
      args: [listId, face.faceId, face.createTime],
    });
  }
  return statements;
}

/** The first of `sampleIds` the account no longer has, or undefined. */
async function missingSample(
  tx: Transaction,
  accountId: string,
  sampleIds: string[],
): Promise<string | undefined> {
  if (sampleIds.length === 0) {
    return undefined;
  }
  const rs = await tx.execute({
    sql: `SELECT sample_id FROM samples
      WHERE account_id = ? AND sample_id IN (${sampleIds.map(() => '?').join(',')})`,
    args: [accountId, ...sampleIds],
  });
  const present = new Set(rs.rows.map((r) => String(r.sample_id)));
  return sampleIds.find((id) => !present.has(id));
}

/** Creates the libSQL face repository. */
export function createFaceRepository(db: Database): FaceRepository {
  return {
    async insert(face) {
      const tx = await db.transaction('write');
      try {
        const missing = await missingSample(tx, face.accountId, face.sampleIds);
        if (missing !== undefined) {
          throw new AppError('not_found', `sample ${missing} of this face no longer exists`);
        }
        for (const statement of faceInsertStatements(face)) {
          await tx.execute(statement);
        }
        await tx.commit();
      } finally {
        tx.close();
      }
    },
    async find(accountId, faceId) {
      const rs = await db.execute({
        sql: `${SELECT_FACE} WHERE f.face_id = ? AND f.account_id = COALESCE(?, f.account_id)`,
        args: [faceId, accountId ?? null],
      });
      return rs.rows[0] ? rowToFace(rs.rows[0]) : undefined;
    },
    async query(accountId, q) {
      const where = whereOf(accountId, q);
      const rs = await db.execute({
        sql: `${SELECT_FACE} WHERE ${where.sql} ORDER BY f.create_time, f.face_id LIMIT ? OFFSET ?`,
        args: [...where.args, q.pageSize, (q.page - 1) * q.pageSize],
      });
      const count = await db.execute({
        sql: `SELECT COUNT(*) AS n FROM faces f WHERE ${where.sql}`,
        args: where.args,
      });
      return { rows: rs.rows.map(rowToFace), count: Number(count.rows[0]!.n) };
    },
    async update(accountId, faceId, patch) {
      const rs = await db.execute({
        sql: `UPDATE faces SET user_data = COALESCE(?, user_data),
          external_id = COALESCE(?, external_id) WHERE face_id = ? AND account_id = ?`,
        args: [patch.userData ?? null, patch.externalId ?? null, faceId, accountId],
      });
      return rs.rowsAffected > 0;
    },
    async remove(accountId, faceId) {
      const rs = await db.execute({
        sql: 'DELETE FROM faces WHERE face_id = ? AND account_id = ?',
        args: [faceId, accountId],
      });
      return rs.rowsAffected > 0;
    },
    async existing(accountId, faceIds) {
      if (faceIds.length === 0) {
        return new Set();
      }
      const rs = await db.execute({
        sql: `SELECT face_id FROM faces WHERE account_id = COALESCE(?, account_id)
          AND face_id IN (${marks(faceIds.length)})`,
        args: [accountId ?? null, ...faceIds],
      });
      return new Set(rs.rows.map((r) => String(r.face_id)));
    },
    async link(listId, faceIds) {
      const now = Date.now();
      await db.batch(
        [
          ...faceIds.map((id) => ({
            sql: 'INSERT OR IGNORE INTO list_faces VALUES (?, ?, ?)',
            args: [listId, id, now],
          })),
          { sql: 'UPDATE lists SET last_update_time = ? WHERE list_id = ?', args: [now, listId] },
        ],
        'write',
      );
    },
    async unlink(listId, faceIds) {
      await db.batch(
        [
          ...faceIds.map((id) => ({
            sql: 'DELETE FROM list_faces WHERE list_id = ? AND face_id = ?',
            args: [listId, id],
          })),
          {
            sql: 'UPDATE lists SET last_update_time = ? WHERE list_id = ?',
            args: [Date.now(), listId],
          },
        ],
        'write',
      );
    },
    async descriptors(accountId, faceIds, version) {
      if (faceIds.length === 0) {
        return new Map();
      }
      const rs = await db.execute({
        sql: `SELECT fd.face_id, fd.descriptor FROM face_descriptors fd JOIN faces f
          ON f.face_id = fd.face_id WHERE f.account_id = COALESCE(?, f.account_id)
          AND fd.descriptor_version = ?
          AND fd.face_id IN (${marks(faceIds.length)})`,
        args: [accountId ?? null, version, ...faceIds],
      });
      return new Map(
        rs.rows.map((r) => [String(r.face_id), decodeDescriptor(r.descriptor as ArrayBuffer)]),
      );
    },
  };
}
