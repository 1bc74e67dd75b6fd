import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, setLogLevel } from '../../../src/logger/index.ts';
import { Gallery, type IndexSettings } from '../../../src/matcher/index.ts';
import { bruteForce, nearby, syntheticGallery } from '../../helpers/synthetic-descriptors.ts';

const LIST = '0b5ad4a1-1111-4c1e-9a55-000000000001';
const VERSION = 'fr_feature-1';

let root: string;
const galleries: Gallery[] = [];

function settings(patch: Partial<IndexSettings> = {}): IndexSettings {
  return { root, minFaces: 1_000_000, maxDelta: 1_000, precision: 'i8', buildThreads: 1, ...patch };
}

function openGallery(patch: Partial<IndexSettings> = {}) {
  const gallery = new Gallery(VERSION, { index: settings(patch), logger: createLogger() });
  galleries.push(gallery);
  return gallery;
}

function linkAll(gallery: Gallery, faces: { id: string; vector: Float32Array }[]) {
  for (const f of faces) {
    gallery.link(LIST, f.id, f.vector);
  }
}

async function waitReady(gallery: Gallery, listId = LIST) {
  for (let i = 0; i < 600; i++) {
    const status = gallery.indexStatus(listId);
    if (status.state !== 'building') {
      return status;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('index build did not finish');
}

beforeEach(async () => {
  setLogLevel('error');
  root = await mkdtemp(path.join(tmpdir(), 'lunette-index-'));
});

afterEach(async () => {
  await Promise.all(galleries.splice(0).map((g) => g.close()));
  await rm(root, { recursive: true, force: true });
});

describe('index manager', () => {
  it('builds an index once a list passes the size setting', async () => {
    const gallery = openGallery({ minFaces: 500 });
    const { faces } = syntheticGallery(600, 1);
    linkAll(gallery, faces.slice(0, 499));
    expect(gallery.indexStatus(LIST).state).toBe('none');
    linkAll(gallery, faces.slice(499));
    expect(gallery.indexStatus(LIST).state).toBe('building');
    const status = await waitReady(gallery);
    expect(status).toMatchObject({ state: 'ready', ready: true, precision: 'i8' });
    expect(status.size + status.pending).toBe(600);
  });

  it('merges faces linked after the build and never returns removed ones', async () => {
    const gallery = openGallery();
    const { faces, people, gauss } = syntheticGallery(800, 2);
    linkAll(gallery, faces);
    gallery.buildIndex(LIST);
    await waitReady(gallery);
    const added = { id: 'zz-added', vector: nearby(people[0]!, gauss, 0.1) };
    gallery.link(LIST, added.id, added.vector);
    const removed = bruteForce(faces, people[0]!, 1)[0]!.id;
    gallery.unlink(LIST, removed);
    const result = gallery.search(LIST, people[0]!, 5);
    expect(result[0]!.id).toBe('zz-added');
    expect(result.map((s) => s.id)).not.toContain(removed);
    expect(gallery.indexStatus(LIST)).toMatchObject({ pending: 1, removed: 1 });
    gallery.removeFace(added.id);
    expect(gallery.search(LIST, people[0]!, 5).map((s) => s.id)).not.toContain('zz-added');
  });

  it('keeps changes made while the build runs', async () => {
    const gallery = openGallery();
    const { faces, people, gauss } = syntheticGallery(3000, 3);
    linkAll(gallery, faces);
    gallery.buildIndex(LIST);
    const gone = faces.slice(0, 50).map((f) => f.id);
    for (const id of gone) {
      gallery.unlink(LIST, id);
    }
    const late = { id: 'late', vector: nearby(people[1]!, gauss, 0.05) };
    gallery.link(LIST, late.id, late.vector);
    await waitReady(gallery);
    const live = [...faces.slice(50), late];
    for (let p = 0; p < 40; p++) {
      const result = gallery.search(LIST, people[p]!, 10);
      expect(result.some((s) => gone.includes(s.id))).toBe(false);
      expect(result[0]).toEqual(bruteForce(live, people[p]!, 1)[0]);
    }
  });

  it('reopens the saved index at start-up instead of rebuilding it', async () => {
    const first = openGallery({ minFaces: 100 });
    const { faces, people } = syntheticGallery(400, 4);
    linkAll(first, faces);
    const built = await waitReady(first);
    await first.close();
    const second = openGallery({ minFaces: 100 });
    const restored = await loadWith(second, faces.slice(0, 390));
    expect(restored.state).toBe('ready');
    expect(restored.builtAt).toBe(built.builtAt);
    expect(restored.removed).toBe(10);
    expect(second.search(LIST, people[3]!, 3)).toEqual(
      bruteForce(faces.slice(0, 390), people[3]!, 3),
    );
  });

  it('keeps the previous index usable when a build dies half-way', async () => {
    const first = openGallery({ minFaces: 100 });
    const { faces } = syntheticGallery(4000, 5);
    linkAll(first, faces.slice(0, 300));
    const built = await waitReady(first);
    linkAll(first, faces.slice(300));
    first.buildIndex(LIST);
    await new Promise((r) => setTimeout(r, 50));
    await first.close();
    const dir = path.join(root, LIST);
    await writeFile(path.join(dir, 'crashed.usearch.tmp'), 'half a graph');
    await writeFile(path.join(dir, 'crashed.usearch'), 'renamed, never committed');
    await writeFile(path.join(dir, 'manifest.json.tmp'), '{"format":');
    const second = openGallery({ minFaces: 100_000, maxDelta: 10_000 });
    const restored = await loadWith(second, faces);
    expect(restored).toMatchObject({ state: 'ready', builtAt: built.builtAt, size: 300 });
    expect(restored.pending).toBe(3700);
    const names = await readdir(dir);
    expect(names).toHaveLength(3);
    expect(names.filter((n) => n.startsWith('crashed') || n.endsWith('.tmp'))).toEqual([]);
  });

  it('rebuilds when the delta passes the delta setting', async () => {
    const gallery = openGallery({ maxDelta: 20 });
    const { faces, people, gauss } = syntheticGallery(500, 6);
    linkAll(gallery, faces);
    gallery.buildIndex(LIST);
    const first = await waitReady(gallery);
    for (let i = 0; i < 21; i++) {
      gallery.link(LIST, `new-${i}`, nearby(people[i]!, gauss));
    }
    expect(gallery.indexStatus(LIST).state).toBe('building');
    const second = await waitReady(gallery);
    expect(second.builtAt).toBeGreaterThanOrEqual(first.builtAt!);
    expect(second).toMatchObject({ size: 521, pending: 0, removed: 0 });
  });

  it('removes the files of a dropped list', async () => {
    const gallery = openGallery({ minFaces: 100 });
    linkAll(gallery, syntheticGallery(200, 7).faces);
    await waitReady(gallery);
    gallery.dropList(LIST);
    await new Promise((r) => setTimeout(r, 100));
    expect(await readdir(root)).toEqual([]);
  });
});

/** Starts `gallery` from a database-like state holding `faces` in LIST. */
async function loadWith(gallery: Gallery, faces: { id: string; vector: Float32Array }[]) {
  const rows = faces.map((f) => ({ list_id: LIST, face_id: f.id, descriptor: encode(f.vector) }));
  const db = fakeDb(rows);
  await gallery.load(db as never);
  return gallery.indexStatus(LIST);
}

function encode(v: Float32Array): ArrayBuffer {
  return v.slice().buffer;
}

/** Answers the two queries the gallery loader sends. */
function fakeDb(rows: { list_id: string; face_id: string; descriptor: ArrayBuffer }[]) {
  return {
    execute: async ({ sql, args }: { sql: string; args: unknown[] }) => {
      if (sql.includes('COUNT(*)')) {
        return { rows: [{ list_id: LIST, n: rows.length }] };
      }
      const [, listId, faceId, limit] = args as [string, string, string, number];
      const sorted = rows
        .filter((r) => r.list_id > listId || (r.list_id === listId && r.face_id > faceId))
        .sort((a, b) => (a.face_id < b.face_id ? -1 : 1));
      return { rows: sorted.slice(0, limit) };
    },
  };
}
