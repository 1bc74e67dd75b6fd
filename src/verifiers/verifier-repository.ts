/** libSQL rows of verifiers: description and parsed policies, per account. */
import * as z from 'zod';
import type { Database } from '../db/index.ts';
import { DETECT_POLICY, FLAG } from '../handlers/index.ts';
import { DEFAULT_THRESHOLD } from '../matcher/index.ts';

/** Policies of a verifier: how to find faces and the similarity from which two are one person. */
export const VERIFIER_POLICIES = z.strictObject({
  detect_policy: DETECT_POLICY.prefault({}),
  extract_policy: z.strictObject({ extract_basic_attributes: FLAG.default(false) }).prefault({}),
  verification_threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLD),
});

/** Parsed verifier policies. */
export type VerifierPolicies = z.output<typeof VERIFIER_POLICIES>;

/** One stored verifier. */
export interface VerifierRow {
  verifierId: string;
  accountId: string;
  createTime: number;
  lastUpdateTime: number;
  description: string;
  policies: VerifierPolicies;
}

/** The changeable part of a verifier. */
export type VerifierContent = Pick<VerifierRow, 'description' | 'policies'>;

/** Data access for verifiers; every call is scoped to an account. */
export interface VerifierRepository {
  insert(row: VerifierRow): Promise<void>;
  find(accountId: string, verifierId: string): Promise<VerifierRow | undefined>;
  query(accountId: string, page: number, pageSize: number): Promise<VerifierRow[]>;
  replace(accountId: string, verifierId: string, c: VerifierContent, now: number): Promise<boolean>;
  remove(accountId: string, verifierId: string): Promise<boolean>;
}

function rowToVerifier(row: Record<string, unknown>): VerifierRow {
  return {
    verifierId: String(row.verifier_id),
    accountId: String(row.account_id),
    createTime: Number(row.create_time),
    lastUpdateTime: Number(row.last_update_time),
    description: String(row.description),
    policies: VERIFIER_POLICIES.parse(JSON.parse(String(row.policies))),
  };
}

/** Creates the libSQL verifier repository. */
export function createVerifierRepository(db: Database): VerifierRepository {
  return {
    async insert(r) {
      await db.execute({
        sql: 'INSERT INTO verifiers VALUES (?, ?, ?, ?, ?, ?)',
        args: [
          r.verifierId,
          r.accountId,
          r.createTime,
          r.lastUpdateTime,
          r.description,
          JSON.stringify(r.policies),
        ],
      });
    },
    async find(accountId, verifierId) {
      const rs = await db.execute({
        sql: 'SELECT * FROM verifiers WHERE verifier_id = ? AND account_id = ?',
        args: [verifierId, accountId],
      });
      return rs.rows[0] ? rowToVerifier(rs.rows[0]) : undefined;
    },
    async query(accountId, page, pageSize) {
      const rs = await db.execute({
        sql: `SELECT * FROM verifiers WHERE account_id = ? ORDER BY create_time, verifier_id
          LIMIT ? OFFSET ?`,
        args: [accountId, pageSize, (page - 1) * pageSize],
      });
      return rs.rows.map(rowToVerifier);
    },
    async replace(accountId, verifierId, c, now) {
      const rs = await db.execute({
        sql: `UPDATE verifiers SET description = ?, policies = ?, last_update_time = ?
          WHERE verifier_id = ? AND account_id = ?`,
        args: [c.description, JSON.stringify(c.policies), now, verifierId, accountId],
      });
      return rs.rowsAffected > 0;
    },
    async remove(accountId, verifierId) {
      const rs = await db.execute({
        sql: 'DELETE FROM verifiers WHERE verifier_id = ? AND account_id = ?',
        args: [verifierId, accountId],
      });
      return rs.rowsAffected > 0;
    },
  };
}
