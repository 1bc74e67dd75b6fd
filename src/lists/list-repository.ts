/** libSQL rows of lists and of list membership. */
import type { Database } from '../db/index.ts';

/** One list with its current size. */
export interface ListRow {
  listId: string;
  accountId: string;
  createTime: number;
  lastUpdateTime: number;
  userData: string;
  faceCount: number;
}

/** Filters and page of a list query. */
export interface ListQuery {
  userData?: string;
  page: number;
  pageSize: number;
}

/**
 * Data access for lists; every call is scoped to an account. Reads (`find`, `query`) take
 * `undefined` for every account (advanced_user, admin).
 */
export interface ListRepository {
  insert(row: Omit<ListRow, 'faceCount'>): Promise<void>;
  find(accountId: string | undefined, listId: string): Promise<ListRow | undefined>;
  /** Those of `listIds` the account owns. */
  existing(accountId: string, listIds: string[]): Promise<Set<string>>;
  query(accountId: string | undefined, q: ListQuery): Promise<{ rows: ListRow[]; count: number }>;
  updateUserData(accountId: string, listId: string, userData: string): Promise<boolean>;
  /** Deletes the list (and, if asked, its faces) in one transaction; returns the face ids. */
  remove(accountId: string, listId: string, withFaces: boolean): Promise<string[] | undefined>;
  /** Face ids in the list. */
  faceIds(listId: string): Promise<string[]>;
}

const SELECT_LIST = `SELECT l.*, (SELECT COUNT(*) FROM list_faces f WHERE f.list_id = l.list_id)
  AS face_count FROM lists l`;

function rowToList(row: Record<string, unknown>): ListRow {
  return {
    listId: String(row.list_id),
    accountId: String(row.account_id),
    createTime: Number(row.create_time),
    lastUpdateTime: Number(row.last_update_time),
    userData: String(row.user_data),
    faceCount: Number(row.face_count),
  };
}

/** Creates the libSQL list repository. */
export function createListRepository(db: Database): ListRepository {
  async function faceIds(listId: string): Promise<string[]> {
    const rs = await db.execute({
      sql: 'SELECT face_id FROM list_faces WHERE list_id = ?',
      args: [listId],
    });
    return rs.rows.map((r) => String(r.face_id));
  }

  return {
    faceIds,
    async insert(r) {
      await db.execute({
        sql: 'INSERT INTO lists VALUES (?, ?, ?, ?, ?)',
        args: [r.listId, r.accountId, r.createTime, r.lastUpdateTime, r.userData],
      });
    },
    async find(accountId, listId) {
      const rs = await db.execute({
        sql: `${SELECT_LIST} WHERE l.list_id = ? AND l.account_id = COALESCE(?, l.account_id)`,
        args: [listId, accountId ?? null],
      });
      return rs.rows[0] ? rowToList(rs.rows[0]) : undefined;
    },
    async existing(accountId, listIds) {
      if (listIds.length === 0) {
        return new Set();
      }
      const rs = await db.execute({
        sql: `SELECT list_id FROM lists WHERE account_id = ?
          AND list_id IN (${listIds.map(() => '?').join(',')})`,
        args: [accountId, ...listIds],
      });
      return new Set(rs.rows.map((r) => String(r.list_id)));
    },
    async query(accountId, q) {
      const owner = accountId === undefined ? '1 = 1' : 'l.account_id = ?';
      const where = q.userData === undefined ? '' : ' AND l.user_data = ?';
      const args = [accountId, q.userData].filter((v): v is string => v !== undefined);
      const rs = await db.execute({
        sql: `${SELECT_LIST} WHERE ${owner}${where}
          ORDER BY l.create_time, l.list_id LIMIT ? OFFSET ?`,
        args: [...args, q.pageSize, (q.page - 1) * q.pageSize],
      });
      const count = await db.execute({
        sql: `SELECT COUNT(*) AS n FROM lists l WHERE ${owner}${where}`,
        args,
      });
      return { rows: rs.rows.map(rowToList), count: Number(count.rows[0]!.n) };
    },
    async updateUserData(accountId, listId, userData) {
      const rs = await db.execute({
        sql: `UPDATE lists SET user_data = ?, last_update_time = ?
          WHERE list_id = ? AND account_id = ?`,
        args: [userData, Date.now(), listId, accountId],
      });
      return rs.rowsAffected > 0;
    },
    async remove(accountId, listId, withFaces) {
      const tx = await db.transaction('write');
      try {
        const owned = await tx.execute({
          sql: 'SELECT 1 FROM lists WHERE list_id = ? AND account_id = ?',
          args: [listId, accountId],
        });
        if (owned.rows.length === 0) {
          await tx.rollback();
          return undefined;
        }
        const members = await tx.execute({
          sql: 'SELECT face_id FROM list_faces WHERE list_id = ?',
          args: [listId],
        });
        const ids = members.rows.map((r) => String(r.face_id));
        if (withFaces) {
          await tx.execute({
            sql: `DELETE FROM faces
              WHERE face_id IN (SELECT face_id FROM list_faces WHERE list_id = ?)`,
            args: [listId],
          });
        }
        await tx.execute({ sql: 'DELETE FROM lists WHERE list_id = ?', args: [listId] });
        await tx.commit();
        return ids;
      } finally {
        tx.close();
      }
    },
  };
}
