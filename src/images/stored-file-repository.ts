/** libSQL rows of the image store: one per stored image or object, account scoped, with TTL. */
import type { Database } from '../db/index.ts';

/** What a stored file is. */
export type StoredKind = 'image' | 'object';

/** One stored file's row. */
export interface StoredFileRow {
  fileId: string;
  accountId: string;
  kind: StoredKind;
  contentType: string;
  size: number;
  createTime: number;
  /** Unix ms after which the file is gone; undefined = kept until deleted. */
  expireTime: number | undefined;
}

/** Data access for stored-file rows of one kind. */
export interface StoredFileRepository {
  insert(row: StoredFileRow): Promise<void>;
  /** The live row (not expired at `now`); `readScope` undefined reads every account. */
  find(
    readScope: string | undefined,
    fileId: string,
    now: number,
  ): Promise<StoredFileRow | undefined>;
  remove(accountId: string, fileId: string): Promise<boolean>;
  /** Deletes up to `limit` rows expired at `now`; returns their ids. */
  removeExpired(now: number, limit: number): Promise<string[]>;
  /** Every id of this kind (the start-up check compares them with the files). */
  allIds(): Promise<Set<string>>;
  removeMany(fileIds: string[]): Promise<void>;
}

function rowToFile(row: Record<string, unknown>): StoredFileRow {
  const expire = row.expire_time as number | bigint | null;
  return {
    fileId: String(row.file_id),
    accountId: String(row.account_id),
    kind: String(row.kind) as StoredKind,
    contentType: String(row.content_type),
    size: Number(row.size),
    createTime: Number(row.create_time),
    expireTime: expire === null ? undefined : Number(expire),
  };
}

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

/** Creates the repository of `kind` rows. */
export function createStoredFileRepository(db: Database, kind: StoredKind): StoredFileRepository {
  return {
    async insert(r) {
      await db.execute({
        sql: 'INSERT INTO stored_files VALUES (?, ?, ?, ?, ?, ?, ?)',
        args: [
          r.fileId,
          r.accountId,
          kind,
          r.contentType,
          r.size,
          r.createTime,
          r.expireTime ?? null,
        ],
      });
    },
    async find(accountId, fileId, now) {
      const rs = await db.execute({
        sql: `SELECT * FROM stored_files WHERE file_id = ? AND kind = ?
          AND account_id = COALESCE(?, account_id) AND (expire_time IS NULL OR expire_time > ?)`,
        args: [fileId, kind, accountId ?? null, now],
      });
      return rs.rows[0] ? rowToFile(rs.rows[0]) : undefined;
    },
    async remove(accountId, fileId) {
      const rs = await db.execute({
        sql: 'DELETE FROM stored_files WHERE file_id = ? AND kind = ? AND account_id = ?',
        args: [fileId, kind, accountId],
      });
      return rs.rowsAffected > 0;
    },
    async removeExpired(now, limit) {
      const rs = await db.execute({
        sql: `DELETE FROM stored_files WHERE file_id IN (SELECT file_id FROM stored_files
          WHERE kind = ? AND expire_time <= ? LIMIT ?) RETURNING file_id`,
        args: [kind, now, limit],
      });
      return rs.rows.map((r) => String(r.file_id));
    },
    async allIds() {
      const rs = await db.execute({
        sql: 'SELECT file_id FROM stored_files WHERE kind = ?',
        args: [kind],
      });
      return new Set(rs.rows.map((r) => String(r.file_id)));
    },
    async removeMany(fileIds) {
      if (fileIds.length === 0) {
        return;
      }
      await db.execute({
        sql: `DELETE FROM stored_files WHERE kind = ? AND file_id IN (${marks(fileIds.length)})`,
        args: [kind, ...fileIds],
      });
    },
  };
}
