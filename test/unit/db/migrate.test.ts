import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, readMigrations } from '../../../src/db/index.ts';

let dir: string | undefined;

afterEach(async () => {
  if (dir) {
    await rm(dir, { recursive: true, force: true });
  }
});

describe('migrate', () => {
  it('applies every migration once, in order, and nothing on the second run', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lunette-migrate-'));
    const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
    const all = await readMigrations();
    expect(await migrate(db)).toEqual(all.map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    const tables = await db.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
    expect(tables.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['samples', 'attributes', 'faces', 'lists', 'list_faces']),
    );
    db.close();
  });

  it('rolls a failing migration back whole', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lunette-migrate-'));
    const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
    const broken = [{ version: 1, name: 'broken', sql: 'CREATE TABLE a (x INTEGER); SELEC oops' }];
    await expect(migrate(db, broken)).rejects.toThrow();
    const tables = await db.execute("SELECT name FROM sqlite_master WHERE name = 'a'");
    expect(tables.rows).toHaveLength(0);
    db.close();
  });
});

describe('openDatabase', () => {
  it('keeps busy_timeout and foreign keys on the connection used after a transaction', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lunette-db-'));
    const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
    const tx = await db.transaction('write');
    await tx.execute('CREATE TABLE t (x INTEGER)');
    await tx.commit();
    tx.close();
    const timeout = await db.execute('PRAGMA busy_timeout');
    const keys = await db.execute('PRAGMA foreign_keys');
    expect(Number(Object.values(timeout.rows[0]!)[0])).toBe(5000);
    expect(Number(Object.values(keys.rows[0]!)[0])).toBe(1);
    db.close();
  });
});

describe('one serving descriptor version (migration 12)', () => {
  it('keeps the newest of several serving rows an older box left and refuses another', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lunette-migrate-'));
    const db = await openDatabase(`file:${path.join(dir, 'db.sqlite')}`);
    const all = await readMigrations();
    await migrate(
      db,
      all.filter((m) => m.version < 12),
    );
    await db.execute(`INSERT INTO descriptor_versions VALUES ('fr_feature-2', 'serving', 10),
      ('fr_feature-1', 'retired', 20), ('fr_feature-4', 'serving', 20),
      ('fr_feature-3', 'extracting', 5)`);
    expect(await migrate(db, all)).toEqual(
      all.filter((m) => m.version >= 12).map((m) => m.version),
    );
    const rs = await db.execute(
      'SELECT descriptor_version, state FROM descriptor_versions ORDER BY descriptor_version',
    );
    expect(rs.rows.map((r) => `${r.descriptor_version}:${r.state}`)).toEqual([
      'fr_feature-1:retired',
      'fr_feature-2:retired',
      'fr_feature-3:extracting',
      'fr_feature-4:serving',
    ]);
    await expect(
      db.execute("UPDATE descriptor_versions SET state = 'serving' WHERE state = 'retired'"),
    ).rejects.toThrow(/UNIQUE/);
    db.close();
  });
});
