/**
 * List indexes through the HTTP app on a real data dir: the automatic build at start-up, a
 * requested build, answers equal to the exact scan, faces added, deleted and detached during
 * and after a build, the saved index reopened after a restart, and the rebuild on delta.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { encodeDescriptor } from '../../src/descriptors/index.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { lfwImage } from '../helpers/paths.ts';
import { nearby, randomUnit, seededGauss } from '../helpers/synthetic-descriptors.ts';

const BIG = 2000;
const SMALL = 600;
const ENV = {
  LUNETTE_INDEX_MIN_FACES: '1500',
  LUNETTE_INDEX_MAX_DELTA: '50',
  LUNETTE_INDEX_BUILD_THREADS: '1',
};

const gauss = seededGauss(61);
const people = Array.from({ length: 400 }, () => randomUnit(gauss));
let dataDir: string;
let appliance: TestAppliance;
let api: ApiClient;
let big: string;
let small: string;

async function start(): Promise<void> {
  appliance = await startTestAppliance({ ...ENV, LUNETTE_DATA_DIR: dataDir });
  api = apiClient(appliance.app, appliance.adminAuth);
}

/** Writes `count` faces with synthetic descriptors into `listId`, straight into libSQL. */
async function seed(listId: string, count: number): Promise<void> {
  const db = await openDatabase(`file:${path.join(dataDir, 'lunette.db')}`);
  const owner = await db.execute({
    sql: 'SELECT account_id FROM lists WHERE list_id = ?',
    args: [listId],
  });
  const accountId = String(owner.rows[0]!.account_id);
  const statements = Array.from({ length: count }, (_, i) => {
    const faceId = crypto.randomUUID();
    const vector = encodeDescriptor(nearby(people[i % people.length]!, gauss));
    return [
      {
        sql: `INSERT INTO faces (face_id, account_id, create_time, user_data, sample_ids)
          VALUES (?, ?, ?, '', '[]')`,
        args: [faceId, accountId, Date.now()],
      },
      {
        sql: 'INSERT INTO face_descriptors VALUES (?, ?, ?)',
        args: [faceId, 'fr_feature-1', vector],
      },
      { sql: 'INSERT INTO list_faces VALUES (?, ?, ?)', args: [listId, faceId, Date.now()] },
    ];
  });
  await db.batch(statements.flat(), 'write');
  db.close();
}

async function indexOf(listId: string) {
  const res = await api.get(`/6/lists/${listId}/index`);
  expect(res.status).toBe(200);
  return res.body;
}

async function waitReady(listId: string) {
  for (let i = 0; i < 1200; i++) {
    const status = await indexOf(listId);
    if (status.state !== 'building') {
      return status;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`index of ${listId} did not finish`);
}

async function matchRaw(listId: string, query: Float32Array, exact = false, limit = 5) {
  const descriptor = Buffer.from(query.buffer, query.byteOffset, query.byteLength).toString(
    'base64',
  );
  const res = await api.postJson(`/6/matcher/raw${exact ? '?exact=1' : ''}`, {
    references: [{ id: 'probe', descriptor }],
    candidates: [{ filters: { origin: 'faces', list_id: listId }, limit }],
  });
  expect(res.status).toBe(201);
  return res.body[0].matches[0].result as { face: { face_id: string }; similarity: number }[];
}

async function enrolFromPhoto(name: string, n: number, listId: string): Promise<string> {
  const detected = await api.postBytes('/6/detector', await readFile(lfwImage(name, n)));
  const sampleId = detected.body.images[0].detections.samples[0].sample_id;
  const extracted = await api.postJson('/6/extractor', { samples: [sampleId] });
  const face = await api.postJson('/6/faces', {
    attribute_id: extracted.body[0].attribute_id,
    lists: [listId],
  });
  expect(face.status).toBe(201);
  return face.body.face_id;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lunette-index-it-'));
  await start();
  big = (await api.postJson('/6/lists', { user_data: 'big' })).body.list_id;
  small = (await api.postJson('/6/lists', { user_data: 'small' })).body.list_id;
  await appliance.dispose();
  await seed(big, BIG);
  await seed(small, SMALL);
  await start();
});

afterAll(async () => {
  await appliance?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

describe('list indexes over HTTP', () => {
  it('builds the index of a list past the size setting at start-up', async () => {
    const status = await waitReady(big);
    expect(status).toMatchObject({ list_id: big, state: 'ready', ready: true, size: BIG });
    expect(status).toMatchObject({ faces_pending: 0, faces_removed: 0, precision: 'i8' });
    expect(Date.parse(status.built_at)).toBeGreaterThan(0);
  });

  it('builds a smaller list on request', async () => {
    expect(await indexOf(small)).toMatchObject({ state: 'none', ready: false, built_at: null });
    const res = await api.postJson(`/6/lists/${small}/index`, {});
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('building');
    expect(await waitReady(small)).toMatchObject({ state: 'ready', size: SMALL });
  });

  it('answers through the index as the exact scan does', async () => {
    for (let p = 0; p < 30; p++) {
      const query = nearby(people[p]!, gauss);
      const indexed = await matchRaw(big, query);
      const exact = await matchRaw(big, query, true);
      expect(indexed[0]).toEqual(exact[0]);
      for (const m of indexed) {
        const same = exact.find((e) => e.face.face_id === m.face.face_id);
        expect(same === undefined || same.similarity === m.similarity).toBe(true);
      }
    }
  });

  it('matches faces enrolled after the build and hides deleted and detached ones', async () => {
    const enrolled = await enrolFromPhoto('Colin_Powell', 40, big);
    expect((await indexOf(big)).faces_pending).toBe(1);
    const self = await api.postJson('/6/matcher/faces', {
      references: [{ type: 'face', id: enrolled }],
      candidates: [{ filters: { origin: 'faces', list_id: big }, limit: 3 }],
    });
    expect(self.body[0].matches[0].result[0].face.face_id).toBe(enrolled);

    const query = nearby(people[7]!, gauss);
    const [first, second] = await matchRaw(big, query);
    expect((await api.delete(`/6/faces/${first!.face.face_id}`)).status).toBe(204);
    const detach = { action: 'detach', list_id: big, face_ids: [second!.face.face_id] };
    expect((await api.patchJson('/6/linker', detach)).status).toBe(204);
    for (const exact of [false, true]) {
      const ids = (await matchRaw(big, query, exact, 20)).map((m) => m.face.face_id);
      expect(ids).not.toContain(first!.face.face_id);
      expect(ids).not.toContain(second!.face.face_id);
    }
    expect(await indexOf(big)).toMatchObject({ faces_removed: 2, faces_pending: 1 });
  });

  it('keeps changes made while a rebuild runs', async () => {
    const query = nearby(people[9]!, gauss);
    const before = await matchRaw(big, query);
    expect((await api.postJson(`/6/lists/${big}/index`, {})).status).toBe(202);
    expect((await api.delete(`/6/faces/${before[0]!.face.face_id}`)).status).toBe(204);
    const added = await enrolFromPhoto('Serena_Williams', 1, big);
    const status = await waitReady(big);
    expect(status.faces_pending).toBeGreaterThanOrEqual(1);
    const ids = (await matchRaw(big, query, false, 20)).map((m) => m.face.face_id);
    expect(ids).not.toContain(before[0]!.face.face_id);
    const self = await api.postJson('/6/matcher/faces', {
      references: [{ type: 'face', id: added }],
      candidates: [{ filters: { origin: 'faces', list_id: big }, limit: 1 }],
    });
    expect(self.body[0].matches[0].result[0].face.face_id).toBe(added);
  });

  it('reopens the saved index after a restart instead of rebuilding it', async () => {
    const before = await waitReady(big);
    const queries = [3, 5, 8].map((p) => nearby(people[p]!, gauss));
    const answers = await Promise.all(queries.map((q) => matchRaw(big, q)));
    await appliance.dispose();
    await start();
    const after = await indexOf(big);
    expect(after).toMatchObject({ state: 'ready', built_at: before.built_at });
    // A face linked while the build ran may sit in the saved graph: served from the delta before
    // the restart and from the graph after it, so only the total is the same.
    expect(after.size + after.faces_pending).toBe(before.size + before.faces_pending);
    expect(await Promise.all(queries.map((q) => matchRaw(big, q)))).toEqual(answers);
  });

  it('rebuilds once faces removed pass the delta setting', async () => {
    const query = nearby(people[11]!, gauss);
    const gone = (await matchRaw(big, query, true, 60)).map((m) => m.face.face_id);
    const detach = { action: 'detach', list_id: big, face_ids: gone };
    expect((await api.patchJson('/6/linker', detach)).status).toBe(204);
    expect((await indexOf(big)).state).toBe('building');
    const status = await waitReady(big);
    expect(status).toMatchObject({ state: 'ready', faces_removed: 0, faces_pending: 0 });
    const ids = (await matchRaw(big, query, false, 20)).map((m) => m.face.face_id);
    expect(ids.some((id) => gone.includes(id))).toBe(false);
  });

  it('refuses an index for an unknown list', async () => {
    const unknown = crypto.randomUUID();
    expect((await api.get(`/6/lists/${unknown}/index`)).status).toBe(404);
    expect((await api.postJson(`/6/lists/${unknown}/index`, {})).status).toBe(404);
  });
});
