/**
 * Numbered migrations: each `migrations/NNNN-name.sql` runs once, in order, inside one
 * transaction with its bookkeeping row, at start-up.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads the migration files in version order. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}-.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: await Bun.file(path.join(dir, file)).text(),
    })),
  );
}

function splitStatements(sql: string): string[] {
  const withoutComments = sql.replace(/^\s*--.*$/gm, '');
  return withoutComments
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Applies every migration not yet recorded; returns the versions applied now. */
export async function migrate(db: Database, migrations?: Migration[]): Promise<number[]> {
  await db.execute(
    `CREATE TABLE IF NOT EXISTS schema_migrations
      (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_time INTEGER NOT NULL)`,
  );
  const done = await db.execute('SELECT version FROM schema_migrations');
  const applied = new Set(done.rows.map((r) => Number(r.version)));
  const pending = (migrations ?? (await readMigrations())).filter((m) => !applied.has(m.version));
  for (const m of pending) {
    await db.batch(
      [
        ...splitStatements(m.sql),
        {
          sql: 'INSERT INTO schema_migrations VALUES (?, ?, ?)',
          args: [m.version, m.name, Date.now()],
        },
      ],
      'write',
    );
  }
  return pending.map((m) => m.version);
}
