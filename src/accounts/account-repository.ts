/** libSQL rows of accounts. Password hashes leave this file only toward the authenticator. */
import type { Database } from '../db/index.ts';
import type { AccountType } from './account-context.ts';

/** One account as stored. */
export interface AccountRow {
  accountId: string;
  login: string;
  passwordHash: string;
  accountType: AccountType;
  description: string;
  createTime: number;
  lastUpdateTime: number;
}

/** Filters and page of an account query. */
export interface AccountQuery {
  accountId?: string;
  accountType?: AccountType;
  login?: string;
  page: number;
  pageSize: number;
}

/** What may change on an account. */
export interface AccountPatch {
  passwordHash?: string;
  accountType?: AccountType;
  description?: string;
}

/** Data access for accounts. */
export interface AccountRepository {
  /** Inserts; false when the login is taken. */
  insert(row: AccountRow): Promise<boolean>;
  /** Inserts only while no account exists; false otherwise (or when the login is taken). */
  insertFirst(row: AccountRow): Promise<boolean>;
  count(): Promise<number>;
  find(accountId: string): Promise<AccountRow | undefined>;
  findByLogin(login: string): Promise<AccountRow | undefined>;
  query(q: AccountQuery): Promise<{ rows: AccountRow[]; count: number }>;
  update(accountId: string, patch: AccountPatch): Promise<boolean>;
}

function rowToAccount(row: Record<string, unknown>): AccountRow {
  return {
    accountId: String(row.account_id),
    login: String(row.login),
    passwordHash: String(row.password_hash),
    accountType: String(row.account_type) as AccountType,
    description: String(row.description),
    createTime: Number(row.create_time),
    lastUpdateTime: Number(row.last_update_time),
  };
}

function argsOf(r: AccountRow) {
  return [
    r.accountId,
    r.login,
    r.passwordHash,
    r.accountType,
    r.description,
    r.createTime,
    r.lastUpdateTime,
  ];
}

function whereOf(q: AccountQuery): { sql: string; args: string[] } {
  const parts: string[] = ['1 = 1'];
  const args: string[] = [];
  for (const [column, value] of [
    ['account_id', q.accountId],
    ['account_type', q.accountType],
    ['login', q.login],
  ] as const) {
    if (value !== undefined) {
      parts.push(`${column} = ?`);
      args.push(value);
    }
  }
  return { sql: parts.join(' AND '), args };
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed/i.test(err.message);
}

/** Creates the libSQL account repository. */
export function createAccountRepository(db: Database): AccountRepository {
  async function insertWith(sql: string, row: AccountRow): Promise<boolean> {
    try {
      const rs = await db.execute({ sql, args: argsOf(row) });
      return rs.rowsAffected > 0;
    } catch (err) {
      if (isUniqueViolation(err)) {
        return false;
      }
      throw err;
    }
  }

  async function findBy(column: 'account_id' | 'login', value: string) {
    const rs = await db.execute({
      sql: `SELECT * FROM accounts WHERE ${column} = ?`,
      args: [value],
    });
    return rs.rows[0] ? rowToAccount(rs.rows[0]) : undefined;
  }

  return {
    insert: (row) => insertWith('INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?)', row),
    insertFirst: (row) =>
      insertWith(
        `INSERT INTO accounts SELECT ?, ?, ?, ?, ?, ?, ?
          WHERE NOT EXISTS (SELECT 1 FROM accounts)`,
        row,
      ),
    async count() {
      const rs = await db.execute('SELECT COUNT(*) AS n FROM accounts');
      return Number(rs.rows[0]!.n);
    },
    find: (accountId) => findBy('account_id', accountId),
    findByLogin: (login) => findBy('login', login),
    async query(q) {
      const where = whereOf(q);
      const rs = await db.execute({
        sql: `SELECT * FROM accounts WHERE ${where.sql}
          ORDER BY create_time, account_id LIMIT ? OFFSET ?`,
        args: [...where.args, q.pageSize, (q.page - 1) * q.pageSize],
      });
      const count = await db.execute({
        sql: `SELECT COUNT(*) AS n FROM accounts WHERE ${where.sql}`,
        args: where.args,
      });
      return { rows: rs.rows.map(rowToAccount), count: Number(count.rows[0]!.n) };
    },
    async update(accountId, patch) {
      const rs = await db.execute({
        sql: `UPDATE accounts SET password_hash = COALESCE(?, password_hash),
          account_type = COALESCE(?, account_type), description = COALESCE(?, description),
          last_update_time = ? WHERE account_id = ?`,
        args: [
          patch.passwordHash ?? null,
          patch.accountType ?? null,
          patch.description ?? null,
          Date.now(),
          accountId,
        ],
      });
      return rs.rowsAffected > 0;
    },
  };
}
