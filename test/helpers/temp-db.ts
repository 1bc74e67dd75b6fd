/** A migrated libSQL file in a fresh temp folder, for unit tests of repositories and services. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, migrate, openDatabase } from '../../src/db/index.ts';

/** An open database and the folder that holds it. */
export interface TempDb {
  db: Database;
  dir: string;
  dispose(): Promise<void>;
}

/** Opens and migrates a new database under a temp folder. */
export async function openTempDb(): Promise<TempDb> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lunette-unit-'));
  const db = await openDatabase(`file:${path.join(dir, 'lunette.db')}`);
  await migrate(db);
  return {
    db,
    dir,
    dispose: async () => {
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
