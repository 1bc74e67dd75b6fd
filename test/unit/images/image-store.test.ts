import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createImageStore, type ImageStore } from '../../../src/images/index.ts';
import { createLogger, setLogLevel } from '../../../src/logger/index.ts';
import { openTempDb, type TempDb } from '../../helpers/temp-db.ts';

const OWNER = crypto.randomUUID();
const WRITER = path.resolve(import.meta.dirname, '../../helpers/store-writer.ts');
const JSON_UPLOAD = { bytes: new TextEncoder().encode('{"a":1}'), contentType: 'application/json' };

let temp: TempDb;
let store: ImageStore;

function openStore(): ImageStore {
  return createImageStore({
    db: temp.db,
    dataDir: temp.dir,
    imageFormat: 'original',
    maxImagePixels: 1e6,
    logger: createLogger({ module: 'test' }),
  });
}

function fileOf(id: string): string {
  return path.join(temp.dir, 'objects', id.slice(0, 2), `${id}.obj`);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function rowCount(): Promise<number> {
  const rs = await temp.db.execute('SELECT COUNT(*) AS n FROM stored_files');
  return Number(rs.rows[0]!.n);
}

beforeEach(async () => {
  setLogLevel('error');
  temp = await openTempDb();
  store = openStore();
});

afterEach(async () => {
  await temp.dispose();
});

describe('image store expiry', () => {
  it('reads an expired file as missing, then sweeps its row and file together', async () => {
    const row = await store.objects.put(OWNER, JSON_UPLOAD, 60);
    const kept = await store.objects.put(OWNER, JSON_UPLOAD);
    expect(await exists(fileOf(row.fileId))).toBe(true);

    expect(await store.objects.sweepExpired(Date.now())).toBe(0);
    expect(await store.objects.sweepExpired(Date.now() + 61_000)).toBe(1);

    expect(await exists(fileOf(row.fileId))).toBe(false);
    expect(await rowCount()).toBe(1);
    await expect(store.objects.read(OWNER, row.fileId)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect((await store.objects.read(OWNER, kept.fileId)).bytes).toEqual(JSON_UPLOAD.bytes);
  });
});

describe('image store start-up check', () => {
  it('repairs what a crash mid-write leaves: temp file, file without row, row without file', async () => {
    const good = await store.objects.put(OWNER, JSON_UPLOAD);
    const lost = await store.objects.put(OWNER, JSON_UPLOAD);
    await rm(fileOf(lost.fileId));
    const orphan = crypto.randomUUID();
    await mkdir(path.dirname(fileOf(orphan)), { recursive: true });
    await writeFile(fileOf(orphan), 'written, then the process died before its row');
    const temp1 = `${fileOf(good.fileId)}.123.${crypto.randomUUID()}.tmp`;
    await writeFile(temp1, 'half a file');

    await openStore().check();

    expect(await exists(temp1)).toBe(false);
    expect(await exists(fileOf(orphan))).toBe(false);
    expect(await rowCount()).toBe(1);
    expect((await store.objects.read(OWNER, good.fileId)).bytes).toEqual(JSON_UPLOAD.bytes);
    const shard = await readdir(path.dirname(fileOf(good.fileId)));
    expect(shard).toContain(`${good.fileId}.obj`);
  });

  it('is consistent after a writer is killed mid-write (SIGKILL) and the check runs', async () => {
    const writer = Bun.spawn([process.execPath, WRITER, temp.dir], { stdout: 'pipe' });
    const reader = writer.stdout.getReader();
    let written = 0;
    while (written < 20) {
      const { value } = await reader.read();
      written += new TextDecoder().decode(value).split('\n').length - 1;
    }
    await Bun.sleep(3); // lands the kill inside a write (temp file or file before its row)
    writer.kill('SIGKILL');
    await writer.exited;

    await openStore().check();

    const rows = await temp.db.execute('SELECT file_id FROM stored_files');
    const rowIds = rows.rows.map((r) => String(r.file_id)).sort();
    const files = (await readdir(path.join(temp.dir, 'objects'), { recursive: true }))
      .filter((f) => f.includes('.'))
      .map((f) => path.basename(f));
    expect(files.every((f) => f.endsWith('.obj'))).toBe(true);
    expect(files.map((f) => f.slice(0, -4)).sort()).toEqual(rowIds);
    expect(rowIds.length).toBeGreaterThanOrEqual(20);
  });

  it('leaves a consistent store untouched', async () => {
    const rows = await Promise.all([1, 2, 3].map(() => store.objects.put(OWNER, JSON_UPLOAD)));
    await openStore().check();
    expect(await rowCount()).toBe(3);
    for (const row of rows) {
      expect(await exists(fileOf(row.fileId))).toBe(true);
    }
  });
});

describe('image store scoping', () => {
  it("hides one account's files from another and lets only the owner delete", async () => {
    const row = await store.objects.put(OWNER, JSON_UPLOAD);
    const other = crypto.randomUUID();
    await expect(store.objects.read(other, row.fileId)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(store.objects.remove(other, row.fileId)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect((await store.objects.read(undefined, row.fileId)).row.accountId).toBe(OWNER);
    await store.objects.remove(OWNER, row.fileId);
    expect(await exists(fileOf(row.fileId))).toBe(false);
  });
});
