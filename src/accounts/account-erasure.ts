/**
 * Erasure of an account and everything it owns: in one transaction every row of every table
 * with an `account_id` column (the account row included, and tables added later too), then
 * the files those rows named (samples, stored images, task results…) and the gallery entries
 * of the faces and lists those rows held.
 */
import type { Database } from '../db/index.ts';
import type { FileOwner } from '../images/index.ts';

/** The in-memory matcher state that must forget erased faces and lists. */
export interface GalleryEraser {
  dropList(listId: string): void;
  removeFace(faceId: string): void;
  /** Forgets in-memory state keyed by account (the event descriptors). */
  forgetAccount?(accountId: string): void;
}

/** What erasure touches besides the database. */
export interface ErasureDeps {
  db: Database;
  /** Tables whose rows name files; modules opened after the accounts module add theirs. */
  fileOwners: FileOwner[];
  gallery: GalleryEraser;
}

/** How much was erased. */
export interface ErasureReport {
  rows: number;
  samples: number;
  faces: number;
  lists: number;
}

type Executor = Pick<Database, 'execute'>;

async function ownedTables(db: Executor): Promise<string[]> {
  const rs = await db.execute(
    `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
      WHERE m.type = 'table' AND c.name = 'account_id' ORDER BY m.name`,
  );
  return rs.rows.map((r) => String(r.name));
}

async function idsOf(
  db: Executor,
  table: string,
  column: string,
  accountId: string,
  kind?: string,
) {
  const rs = await db.execute({
    sql: `SELECT ${column} AS id FROM ${table} WHERE account_id = ?${kind ? ' AND kind = ?' : ''}`,
    args: kind ? [accountId, kind] : [accountId],
  });
  return rs.rows.map((r) => String(r.id));
}

/** Deletes the rows in one transaction; returns the ids that live on outside the database. */
async function eraseRows(db: Database, accountId: string, owners: FileOwner[]) {
  const tx = await db.transaction('write');
  try {
    const owned = {
      samples: await idsOf(tx, 'samples', 'sample_id', accountId),
      faces: await idsOf(tx, 'faces', 'face_id', accountId),
      lists: await idsOf(tx, 'lists', 'list_id', accountId),
    };
    const files: { owner: FileOwner; ids: string[] }[] = [];
    for (const owner of owners) {
      files.push({
        owner,
        ids: await idsOf(tx, owner.table, owner.idColumn, accountId, owner.kind),
      });
    }
    await tx.execute('PRAGMA defer_foreign_keys = ON');
    let rows = 0;
    for (const table of await ownedTables(tx)) {
      const rs = await tx.execute({
        sql: `DELETE FROM "${table}" WHERE account_id = ?`,
        args: [accountId],
      });
      rows += rs.rowsAffected;
    }
    await tx.commit();
    return { ...owned, files, rows };
  } finally {
    tx.close();
  }
}

/** Removes the account `accountId` with every row, file and gallery entry it owns. */
export async function eraseAccountData(
  deps: ErasureDeps,
  accountId: string,
): Promise<ErasureReport> {
  const erased = await eraseRows(deps.db, accountId, deps.fileOwners);
  for (const listId of erased.lists) {
    deps.gallery.dropList(listId);
  }
  for (const faceId of erased.faces) {
    deps.gallery.removeFace(faceId);
  }
  deps.gallery.forgetAccount?.(accountId);
  for (const { owner, ids } of erased.files) {
    await Promise.all(ids.map((id) => owner.files.remove(id)));
  }
  return {
    rows: erased.rows,
    samples: erased.samples.length,
    faces: erased.faces.length,
    lists: erased.lists.length,
  };
}
