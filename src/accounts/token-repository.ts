/** libSQL rows of API tokens; only the SHA-256 of each token is stored. */
import type { Database } from '../db/index.ts';
import type { AccountType, Permissions } from './account-context.ts';

/** One token as stored, without its hash. */
export interface TokenRow {
  tokenId: string;
  accountId: string;
  permissions: Permissions;
  description: string;
  expirationTime: number | undefined;
  createTime: number;
  lastUpdateTime: number;
}

/** A token found by its hash, with the type of the account that owns it. */
export interface TokenOwner extends TokenRow {
  accountType: AccountType;
}

/** The replaceable part of a token. */
export interface TokenGrant {
  permissions: Permissions;
  description: string;
  expirationTime: number | undefined;
}

/** Data access for tokens; every call but `findByHash` is scoped to an account. */
export interface TokenRepository {
  insert(row: TokenRow, tokenHash: string): Promise<void>;
  findByHash(tokenHash: string): Promise<TokenOwner | undefined>;
  find(accountId: string, tokenId: string): Promise<TokenRow | undefined>;
  query(
    accountId: string,
    page: { page: number; pageSize: number },
  ): Promise<{ rows: TokenRow[]; count: number }>;
  replace(accountId: string, tokenId: string, grant: TokenGrant): Promise<boolean>;
  remove(accountId: string, tokenId: string): Promise<boolean>;
}

function rowToToken(row: Record<string, unknown>): TokenRow {
  const expiration = row.expiration_time as number | bigint | null;
  return {
    tokenId: String(row.token_id),
    accountId: String(row.account_id),
    permissions: JSON.parse(String(row.permissions)) as Permissions,
    description: String(row.description),
    expirationTime: expiration === null ? undefined : Number(expiration),
    createTime: Number(row.create_time),
    lastUpdateTime: Number(row.last_update_time),
  };
}

/** Creates the libSQL token repository. */
export function createTokenRepository(db: Database): TokenRepository {
  return {
    async insert(r, tokenHash) {
      await db.execute({
        sql: 'INSERT INTO account_tokens VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        args: [
          r.tokenId,
          r.accountId,
          tokenHash,
          JSON.stringify(r.permissions),
          r.description,
          r.expirationTime ?? null,
          r.createTime,
          r.lastUpdateTime,
        ],
      });
    },
    async findByHash(tokenHash) {
      const rs = await db.execute({
        sql: `SELECT t.*, a.account_type FROM account_tokens t
          JOIN accounts a ON a.account_id = t.account_id WHERE t.token_hash = ?`,
        args: [tokenHash],
      });
      const row = rs.rows[0];
      return row ? { ...rowToToken(row), accountType: row.account_type as AccountType } : undefined;
    },
    async find(accountId, tokenId) {
      const rs = await db.execute({
        sql: 'SELECT * FROM account_tokens WHERE token_id = ? AND account_id = ?',
        args: [tokenId, accountId],
      });
      return rs.rows[0] ? rowToToken(rs.rows[0]) : undefined;
    },
    async query(accountId, page) {
      const rs = await db.execute({
        sql: `SELECT * FROM account_tokens WHERE account_id = ?
          ORDER BY create_time, token_id LIMIT ? OFFSET ?`,
        args: [accountId, page.pageSize, (page.page - 1) * page.pageSize],
      });
      const count = await db.execute({
        sql: 'SELECT COUNT(*) AS n FROM account_tokens WHERE account_id = ?',
        args: [accountId],
      });
      return { rows: rs.rows.map(rowToToken), count: Number(count.rows[0]!.n) };
    },
    async replace(accountId, tokenId, grant) {
      const rs = await db.execute({
        sql: `UPDATE account_tokens SET permissions = ?, description = ?, expiration_time = ?,
          last_update_time = ? WHERE token_id = ? AND account_id = ?`,
        args: [
          JSON.stringify(grant.permissions),
          grant.description,
          grant.expirationTime ?? null,
          Date.now(),
          tokenId,
          accountId,
        ],
      });
      return rs.rowsAffected > 0;
    },
    async remove(accountId, tokenId) {
      const rs = await db.execute({
        sql: 'DELETE FROM account_tokens WHERE token_id = ? AND account_id = ?',
        args: [tokenId, accountId],
      });
      return rs.rowsAffected > 0;
    },
  };
}
