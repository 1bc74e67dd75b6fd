/**
 * Int8 exact storage through the HTTP app (LUNETTE_MATCH_PRECISION=i8): loaded from libSQL at
 * start-up, re-ranked in float32 from the row file under the data dir, answering exactly as the
 * float32 cosine before and after a delete.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { encodeDescriptor } from '../../src/descriptors/index.ts';
import { calibrationOf, cosineToSimilarity } from '../../src/matcher/index.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { bruteForce, nearby, randomUnit, seededGauss } from '../helpers/synthetic-descriptors.ts';

const VERSION = 'fr_feature-1';
const gauss = seededGauss(83);
const people = Array.from({ length: 40 }, () => randomUnit(gauss));
// Tight clusters: cosines within a person sit closer than int8 resolves.
const faces = Array.from({ length: 1200 }, (_, i) => ({
  id: crypto.randomUUID(),
  vector: nearby(people[i % people.length]!, gauss, 0.1),
}));
let dataDir: string;
let appliance: TestAppliance;
let api: ApiClient;
let listId: string;

async function start(): Promise<void> {
  appliance = await startTestAppliance({
    LUNETTE_MATCH_PRECISION: 'i8',
    LUNETTE_DATA_DIR: dataDir,
  });
  api = apiClient(appliance.app, appliance.adminAuth);
}

/** Writes `faces` into the list straight into libSQL (loaded at the next start). */
async function seed(): Promise<void> {
  const db = await openDatabase(`file:${path.join(dataDir, 'lunette.db')}`);
  const owner = await db.execute({
    sql: 'SELECT account_id FROM lists WHERE list_id = ?',
    args: [listId],
  });
  const accountId = String(owner.rows[0]!.account_id);
  const statements = faces.flatMap((f) => [
    {
      sql: `INSERT INTO faces (face_id, account_id, create_time, user_data, sample_ids)
        VALUES (?, ?, ?, '', '[]')`,
      args: [f.id, accountId, Date.now()],
    },
    {
      sql: 'INSERT INTO face_descriptors VALUES (?, ?, ?)',
      args: [f.id, VERSION, encodeDescriptor(f.vector)],
    },
    { sql: 'INSERT INTO list_faces VALUES (?, ?, ?)', args: [listId, f.id, Date.now()] },
  ]);
  await db.batch(statements, 'write');
  db.close();
}

async function matchRaw(query: Float32Array, limit: number) {
  const descriptor = Buffer.from(query.buffer, query.byteOffset, query.byteLength).toString(
    'base64',
  );
  const res = await api.postJson('/6/matcher/raw?exact=1', {
    references: [{ id: 'probe', descriptor }],
    candidates: [{ filters: { origin: 'faces', list_id: listId }, limit }],
  });
  expect(res.status).toBe(201);
  const result = res.body[0].matches[0].result as {
    face: { face_id: string };
    similarity: number;
  }[];
  return result.map((m) => ({ id: m.face.face_id, similarity: m.similarity }));
}

/** The straightforward float32 answer in the API's terms. */
function expected(live: typeof faces, query: Float32Array, limit: number) {
  const calibration = calibrationOf(VERSION);
  return bruteForce(live, query, limit).map((s) => ({
    id: s.id,
    similarity: Number(cosineToSimilarity(s.cosine, calibration).toFixed(6)),
  }));
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lunette-int8-it-'));
  await start();
  listId = (await api.postJson('/6/lists', { user_data: 'int8' })).body.list_id;
  await appliance.dispose();
  await seed();
  await start();
}, 60_000);

afterAll(async () => {
  await appliance?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

describe('int8 exact storage over HTTP', () => {
  it('ranks and scores as the straightforward float32 cosine', async () => {
    for (let p = 0; p < 20; p++) {
      const query = nearby(people[p]!, gauss, 0.1);
      expect(await matchRaw(query, 10)).toEqual(expected(faces, query, 10));
    }
  });

  it('keeps the float32 rows in an unlinked file under the data dir', async () => {
    expect(await readdir(path.join(dataDir, 'matcher'))).toEqual([]);
  });

  it('answers exactly after a delete moves the last row into the gap', async () => {
    const query = nearby(people[3]!, gauss, 0.1);
    const [first] = await matchRaw(query, 1);
    expect((await api.delete(`/6/faces/${first!.id}`)).status).toBe(204);
    const live = faces.filter((f) => f.id !== first!.id);
    for (let p = 0; p < 10; p++) {
      const q = nearby(people[p]!, gauss, 0.1);
      expect(await matchRaw(q, 10)).toEqual(expected(live, q, 10));
    }
  });
});
