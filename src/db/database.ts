/** libSQL adapter: opens the database (a file under the data dir or a libSQL server). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Client, createClient, type TransactionMode } from '@libsql/client';

/** The libSQL client every repository shares. */
export type Database = Client;

// Per-connection settings. WAL is stored in the file; the others must be set on every connection.
const CONNECTION_PRAGMAS = ['PRAGMA busy_timeout = 5000', 'PRAGMA foreign_keys = ON'];

async function applyPragmas(db: Client): Promise<void> {
  for (const pragma of CONNECTION_PRAGMAS) {
    await db.execute(pragma);
  }
}

/**
 * For a local file, libSQL hands its connection to each interactive transaction and opens a new
 * one for later statements; the new connection gets the per-connection settings again here.
 */
function keepPragmasAcrossTransactions(db: Client): void {
  const open = db.transaction.bind(db);
  db.transaction = async (mode?: TransactionMode) => {
    const tx = await open(mode);
    await applyPragmas(db);
    return tx;
  };
}

/** Opens the database at `url`, creating the folder of a `file:` URL, with foreign keys on. */
export async function openDatabase(url: string, authToken?: string): Promise<Database> {
  const local = url.startsWith('file:');
  if (local) {
    await mkdir(path.dirname(url.slice('file:'.length)), { recursive: true });
  }
  const db = createClient({ url, authToken });
  if (local) {
    await db.execute('PRAGMA journal_mode = WAL');
    keepPragmasAcrossTransactions(db);
  }
  await applyPragmas(db);
  return db;
}
