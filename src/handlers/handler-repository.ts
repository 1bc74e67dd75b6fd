/** libSQL rows of handlers: description, dynamic flag and parsed policies, per account. */
import type { Database } from '../db/index.ts';
import { POLICIES, type Policies } from './policy-schema.ts';

/** One stored handler. */
export interface HandlerRow {
  handlerId: string;
  accountId: string;
  createTime: number;
  lastUpdateTime: number;
  description: string;
  /** A dynamic handler takes its policies from each request. */
  isDynamic: boolean;
  policies: Policies;
}

/** The changeable part of a handler. */
export type HandlerContent = Pick<HandlerRow, 'description' | 'isDynamic' | 'policies'>;

/** Data access for handlers; every call is scoped to an account. */
export interface HandlerRepository {
  insert(row: HandlerRow): Promise<void>;
  find(accountId: string, handlerId: string): Promise<HandlerRow | undefined>;
  query(accountId: string, page: number, pageSize: number): Promise<HandlerRow[]>;
  count(accountId: string): Promise<number>;
  replace(
    accountId: string,
    handlerId: string,
    content: HandlerContent,
    now: number,
  ): Promise<boolean>;
  remove(accountId: string, handlerId: string): Promise<boolean>;
}

function rowToHandler(row: Record<string, unknown>): HandlerRow {
  return {
    handlerId: String(row.handler_id),
    accountId: String(row.account_id),
    createTime: Number(row.create_time),
    lastUpdateTime: Number(row.last_update_time),
    description: String(row.description),
    isDynamic: Number(row.is_dynamic) === 1,
    // Stored parsed; parsing again fills defaults added since it was saved.
    policies: POLICIES.parse(JSON.parse(String(row.policies))),
  };
}

/** Creates the libSQL handler repository. */
export function createHandlerRepository(db: Database): HandlerRepository {
  return {
    async insert(r) {
      await db.execute({
        sql: 'INSERT INTO handlers VALUES (?, ?, ?, ?, ?, ?, ?)',
        args: [
          r.handlerId,
          r.accountId,
          r.createTime,
          r.lastUpdateTime,
          r.description,
          r.isDynamic ? 1 : 0,
          JSON.stringify(r.policies),
        ],
      });
    },
    async find(accountId, handlerId) {
      const rs = await db.execute({
        sql: 'SELECT * FROM handlers WHERE handler_id = ? AND account_id = ?',
        args: [handlerId, accountId],
      });
      return rs.rows[0] ? rowToHandler(rs.rows[0]) : undefined;
    },
    async query(accountId, page, pageSize) {
      const rs = await db.execute({
        sql: `SELECT * FROM handlers WHERE account_id = ? ORDER BY create_time, handler_id
          LIMIT ? OFFSET ?`,
        args: [accountId, pageSize, (page - 1) * pageSize],
      });
      return rs.rows.map(rowToHandler);
    },
    async count(accountId) {
      const rs = await db.execute({
        sql: 'SELECT COUNT(*) AS n FROM handlers WHERE account_id = ?',
        args: [accountId],
      });
      return Number(rs.rows[0]!.n);
    },
    async replace(accountId, handlerId, c, now) {
      const rs = await db.execute({
        sql: `UPDATE handlers
          SET description = ?, is_dynamic = ?, policies = ?, last_update_time = ?
          WHERE handler_id = ? AND account_id = ?`,
        args: [
          c.description,
          c.isDynamic ? 1 : 0,
          JSON.stringify(c.policies),
          now,
          handlerId,
          accountId,
        ],
      });
      return rs.rowsAffected > 0;
    },
    async remove(accountId, handlerId) {
      const rs = await db.execute({
        sql: 'DELETE FROM handlers WHERE handler_id = ? AND account_id = ?',
        args: [handlerId, accountId],
      });
      return rs.rowsAffected > 0;
    },
  };
}
