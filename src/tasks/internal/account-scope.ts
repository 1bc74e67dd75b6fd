/**
 * The faces a task that changes every face may reach for its caller: an admin's run covers
 * every account of the box, anyone else's stays within their own account.
 */
import type { Database } from '../../db/index.ts';

/** The account to scope a run to, or undefined for every account (an admin's run). */
export type AccountScope = (accountId: string) => Promise<string | undefined>;

/** Creates the scope lookup: the account's type is read when the run starts. */
export function createAccountScope(db: Database): AccountScope {
  return async (accountId) => {
    const rs = await db.execute({
      sql: 'SELECT account_type FROM accounts WHERE account_id = ?',
      args: [accountId],
    });
    return rs.rows[0]?.account_type === 'admin' ? undefined : accountId;
  };
}
