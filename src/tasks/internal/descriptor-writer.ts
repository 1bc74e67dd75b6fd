/** Writes descriptors of further versions beside a face's existing ones (never replacing them). */
import type { Database } from '../../db/index.ts';
import { encodeDescriptor } from '../../descriptors/index.ts';

/** Adds descriptors of a version to faces. */
export interface DescriptorWriter {
  /** Stores the descriptor unless the face is gone or already has that version; true if stored. */
  add(faceId: string, version: string, vector: Float32Array): Promise<boolean>;
  /** Faces of the account (undefined: of every account) that have no descriptor of `version`. */
  countMissing(accountId: string | undefined, version: string): Promise<number>;
}

/** Creates the libSQL descriptor writer. */
export function createDescriptorWriter(db: Database): DescriptorWriter {
  return {
    async add(faceId, version, vector) {
      const rs = await db.execute({
        sql: `INSERT OR IGNORE INTO face_descriptors (face_id, descriptor_version, descriptor)
          SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM faces WHERE face_id = ?)`,
        args: [faceId, version, encodeDescriptor(vector), faceId],
      });
      return rs.rowsAffected > 0;
    },
    async countMissing(accountId, version) {
      const rs = await db.execute({
        sql: `SELECT COUNT(*) AS n FROM faces f WHERE (? IS NULL OR f.account_id = ?)
          AND NOT EXISTS (SELECT 1 FROM face_descriptors d WHERE d.face_id = f.face_id
            AND d.descriptor_version = ?)`,
        args: [accountId ?? null, accountId ?? null, version],
      });
      return Number(rs.rows[0]!.n);
    },
  };
}
