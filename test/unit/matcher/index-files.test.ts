import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildFiles,
  commitManifest,
  type IndexManifest,
  listDir,
  readKeyIds,
  readManifest,
  removeStale,
  writeKeyIds,
} from '../../../src/matcher/index/index-files.ts';

const LIST = 'c3d4e5f6-0000-4000-8000-000000000001';
let root: string;

function manifest(buildId: string): IndexManifest {
  const base = { format: 1 as const, buildId, builtAt: 5, descriptorVersion: 'v', dimensions: 512 };
  return { ...base, precision: 'i8', connectivity: 16, size: 2 };
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lunette-files-'));
  await mkdir(listDir(root, LIST));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('index files', () => {
  it('refuses list ids that are not plain folder names', () => {
    for (const bad of ['../etc', 'a/b', '', '.']) {
      expect(() => listDir(root, bad)).toThrow();
    }
  });

  it('round-trips key lists, blanks included', async () => {
    const file = buildFiles(root, LIST, 'b1').ids;
    await writeKeyIds(file, ['a', '', 'c']);
    expect(await readKeyIds(file)).toEqual(['a', '', 'c']);
    await writeKeyIds(file, []);
    expect(await readKeyIds(file)).toEqual([]);
  });

  it('names the current build only once its manifest is committed', async () => {
    expect(await readManifest(root, LIST)).toBeUndefined();
    await commitManifest(root, LIST, manifest('b1'));
    await writeFile(path.join(listDir(root, LIST), 'manifest.json.tmp'), '{"format":1,"bu');
    expect((await readManifest(root, LIST))?.buildId).toBe('b1');
    await commitManifest(root, LIST, manifest('b2'));
    expect((await readManifest(root, LIST))?.buildId).toBe('b2');
  });

  it('removes every file the current build does not use', async () => {
    const dir = listDir(root, LIST);
    const names = ['b1.usearch', 'b1.ids', 'b0.usearch', 'b0.ids', 'b2.usearch.tmp'];
    for (const name of names) {
      await writeFile(path.join(dir, name), 'x');
    }
    await commitManifest(root, LIST, manifest('b1'));
    await removeStale(root, LIST, 'b1');
    expect((await readdir(dir)).sort()).toEqual(['b1.ids', 'b1.usearch', 'manifest.json']);
    await removeStale(root, LIST, undefined);
    expect(await readdir(dir)).toEqual([]);
  });
});
