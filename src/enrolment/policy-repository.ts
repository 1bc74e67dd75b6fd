/** libSQL rows of list enrolment policies (one per list, removed with the list). */
import type { Database } from '../db/index.ts';
import type { EnrolmentPolicy } from './enrolment-policy.ts';

/** Data access for enrolment policies; callers check list ownership first. */
export interface PolicyRepository {
  put(listId: string, policy: EnrolmentPolicy): Promise<void>;
  get(listId: string): Promise<EnrolmentPolicy | undefined>;
  remove(listId: string): Promise<boolean>;
  /** The policies of those of `listIds` that have one. */
  policiesOf(listIds: string[]): Promise<Map<string, EnrolmentPolicy>>;
}

/** Creates the libSQL policy repository. */
export function createPolicyRepository(db: Database): PolicyRepository {
  return {
    async put(listId, policy) {
      await db.execute({
        sql: `INSERT INTO list_enrolment_policies VALUES (?, ?, ?)
          ON CONFLICT (list_id) DO UPDATE SET policy = excluded.policy,
          last_update_time = excluded.last_update_time`,
        args: [listId, JSON.stringify(policy), Date.now()],
      });
    },
    async get(listId) {
      const rs = await db.execute({
        sql: 'SELECT policy FROM list_enrolment_policies WHERE list_id = ?',
        args: [listId],
      });
      return rs.rows[0] ? (JSON.parse(String(rs.rows[0].policy)) as EnrolmentPolicy) : undefined;
    },
    async remove(listId) {
      const rs = await db.execute({
        sql: 'DELETE FROM list_enrolment_policies WHERE list_id = ?',
        args: [listId],
      });
      return rs.rowsAffected > 0;
    },
    async policiesOf(listIds) {
      if (listIds.length === 0) {
        return new Map();
      }
      const rs = await db.execute({
        sql: `SELECT list_id, policy FROM list_enrolment_policies
          WHERE list_id IN (${listIds.map(() => '?').join(',')})`,
        args: listIds,
      });
      return new Map(
        rs.rows.map((r) => [String(r.list_id), JSON.parse(String(r.policy)) as EnrolmentPolicy]),
      );
    },
  };
}
