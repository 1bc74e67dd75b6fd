import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileStore } from '../../../src/images/index.ts';

let dir: string | undefined;

afterEach(async () => {
  if (dir) {
    await rm(dir, { recursive: true, force: true });
  }
});

describe('file store', () => {
  it('writes, reads and removes by id, leaving no temp files', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lunette-files-'));
    const store = createFileStore(dir, '.jpg');
    const id = crypto.randomUUID();
    await store.write(id, new Uint8Array([1, 2, 3]));
    expect(Array.from((await store.read(id))!)).toEqual([1, 2, 3]);
    expect(await readdir(path.join(dir, id.slice(0, 2)))).toEqual([`${id}.jpg`]);
    await store.remove(id);
    expect(await store.read(id)).toBeUndefined();
  });

  it('refuses ids that could escape its folder', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lunette-files-'));
    const store = createFileStore(dir, '.jpg');
    await expect(store.write('../../etc/passwd', new Uint8Array(1))).rejects.toThrow(/unsafe/);
  });
});
