/** libSQL adapter: opens the database (a file under the data dir or a libSQL server). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Client, createClient } from '@libsql/client';

/** The libSQL client every repository shares. */
export type Database = Client;

/** Opens the database at `url`, creating the folder of a `file:` URL, with foreign keys on. */
export async function openDatabase(url: string, authToken?: string): Promise<Database> {
  if (url.startsWith('file:')) {
    await mkdir(path.dirname(url.slice('file:'.length)), { recursive: true });
  }
  const db = createClient({ url, authToken });
  if (url.startsWith('file:')) {
    await db.execute('PRAGMA journal_mode = WAL');
    await db.execute('PRAGMA busy_timeout = 5000');
  }
  await db.execute('PRAGMA foreign_keys = ON');
  return db;
}
