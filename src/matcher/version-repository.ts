/**
 * The libSQL record of descriptor versions: which one matching serves, which are being
 * extracted beside it, and how many faces of the whole box (every account) lack a version.
 */
import type { Database } from '../db/index.ts';

/** A version's role on the box. */
export type VersionState = 'serving' | 'extracting' | 'retired';

/** Reads and writes of descriptor version states. */
export interface VersionRepository {
  /**
   * The persisted serving version, or undefined when no switch ever happened. At most one row
   * serves (a unique index holds it); the newest wins should an older database hold several.
   */
  serving(): Promise<string | undefined>;
  /** Versions being extracted beside the serving one, by name. */
  extracting(): Promise<string[]>;
  /** Marks `version` as being extracted (unless it serves). */
  markExtracting(version: string): Promise<void>;
  /** Forgets that `versions` are being extracted (rows of another state stay). */
  dropExtracting(versions: string[]): Promise<void>;
  /**
   * Makes `version` the only serving one, in one transaction: `previous` and any other row
   * that served are retired.
   */
  markServing(version: string, previous: string): Promise<void>;
  /** Faces of every account without a descriptor of `version`. */
  facesLacking(version: string): Promise<number>;
}

/** Creates the libSQL version repository. */
export function createVersionRepository(db: Database): VersionRepository {
  const upsert = (version: string, state: VersionState, now: number) => ({
    sql: `INSERT INTO descriptor_versions VALUES (?, ?, ?) ON CONFLICT (descriptor_version)
      DO UPDATE SET state = excluded.state, update_time = excluded.update_time`,
    args: [version, state, now],
  });

  return {
    async serving() {
      const rs = await db.execute(
        `SELECT descriptor_version FROM descriptor_versions WHERE state = 'serving'
          ORDER BY update_time DESC, rowid DESC LIMIT 1`,
      );
      return rs.rows[0] ? String(rs.rows[0].descriptor_version) : undefined;
    },
    async extracting() {
      const rs = await db.execute(
        `SELECT descriptor_version FROM descriptor_versions WHERE state = 'extracting'
          ORDER BY descriptor_version`,
      );
      return rs.rows.map((r) => String(r.descriptor_version));
    },
    async markExtracting(version) {
      await db.execute({
        sql: `INSERT INTO descriptor_versions VALUES (?, 'extracting', ?)
          ON CONFLICT (descriptor_version) DO UPDATE SET state = 'extracting',
          update_time = excluded.update_time WHERE state <> 'serving'`,
        args: [version, Date.now()],
      });
    },
    async dropExtracting(versions) {
      if (versions.length === 0) {
        return;
      }
      await db.execute({
        sql: `DELETE FROM descriptor_versions WHERE state = 'extracting'
          AND descriptor_version IN (${versions.map(() => '?').join(',')})`,
        args: versions,
      });
    },
    async markServing(version, previous) {
      const now = Date.now();
      // Retire first: the unique index on the serving state is checked statement by statement.
      const retireOthers = {
        sql: `UPDATE descriptor_versions SET state = 'retired', update_time = ?
          WHERE state = 'serving' AND descriptor_version <> ?`,
        args: [now, version],
      };
      const steps = [retireOthers, upsert(version, 'serving', now)];
      if (previous !== version) {
        steps.splice(1, 0, upsert(previous, 'retired', now));
      }
      await db.batch(steps, 'write');
    },
    async facesLacking(version) {
      const rs = await db.execute({
        sql: `SELECT COUNT(*) AS n FROM faces f WHERE NOT EXISTS (SELECT 1 FROM face_descriptors d
          WHERE d.face_id = f.face_id AND d.descriptor_version = ?)`,
        args: [version],
      });
      return Number(rs.rows[0]!.n);
    },
  };
}
