/**
 * Many event requests at once against one handler that stores a face, a list link, a sample
 * and the event: the counts agree, no row is orphaned, and failed requests leave nothing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/index.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { lfwImage } from '../helpers/paths.ts';

const PHOTOS: [string, number][] = [
  ['Tony_Blair', 18],
  ['Jean_Chretien', 8],
  ['David_Beckham', 1],
  ['Hans_Blix', 8],
];
const ROUNDS = 4;
const BROKEN = 4;

let appliance: TestAppliance;
let api: ApiClient;
let db: Database;
let listId: string;
let handlerId: string;

async function scalar(sql: string, args: string[] = []): Promise<number> {
  return Number((await db.execute({ sql, args })).rows[0]!.n);
}

beforeAll(async () => {
  appliance = await startTestAppliance();
  api = apiClient(appliance.app, appliance.adminAuth);
  listId = (await api.postJson('/6/lists', {})).body.list_id;
  const handler = await api.postJson('/6/handlers', {
    policies: {
      extract_policy: { extract_basic_attributes: 1 },
      storage_policy: {
        face_policy: { store_face: 1, link_to_lists_policy: [{ list_id: listId }] },
        attribute_policy: { store_attribute: 1 },
      },
      conditional_tags_policy: [{ tag: 'adult', filters: { age__gte: 18 } }],
    },
  });
  expect(handler.status).toBe(201);
  handlerId = handler.body.handler_id;
  db = await openDatabase(`file:${path.join(appliance.dataDir, 'lunette.db')}`);
});

afterAll(async () => {
  db?.close();
  await appliance?.dispose();
});

describe('concurrent event generation', () => {
  it('keeps events, faces, links and samples consistent under parallel requests', async () => {
    const photos = await Promise.all(PHOTOS.map(([name, n]) => readFile(lfwImage(name, n))));
    const url = `/6/handlers/${handlerId}/events`;
    const requests = [
      ...Array.from({ length: ROUNDS }, () => photos.map((p) => api.postBytes(url, p))).flat(),
      ...Array.from({ length: BROKEN }, (_, i) =>
        api.postBytes(url, new Uint8Array([0xff, 0xd8, i])),
      ),
    ];
    const answers = await Promise.all(requests);
    const ok = answers.filter((a) => a.status === 201);
    expect(ok).toHaveLength(PHOTOS.length * ROUNDS);
    expect(answers.filter((a) => a.status === 400)).toHaveLength(BROKEN);
    const events = ok.flatMap((a) => a.body.events);
    expect(events).toHaveLength(PHOTOS.length * ROUNDS);
    const n = events.length;

    expect(await scalar('SELECT COUNT(*) AS n FROM events WHERE handler_id = ?', [handlerId])).toBe(
      n,
    );
    expect(await scalar('SELECT COUNT(*) AS n FROM faces')).toBe(n);
    expect(await scalar('SELECT COUNT(*) AS n FROM list_faces WHERE list_id = ?', [listId])).toBe(
      n,
    );
    expect(await scalar('SELECT COUNT(*) AS n FROM samples')).toBe(n);
    expect(await scalar('SELECT COUNT(*) AS n FROM attributes')).toBe(n);
    expect(await scalar('SELECT COUNT(*) AS n FROM event_descriptors')).toBe(n);
    expect(await scalar("SELECT COUNT(*) AS n FROM event_tags WHERE tag = 'adult'")).toBe(
      events.filter((e) => e.tags.includes('adult')).length,
    );
  });

  it('leaves no orphan row', async () => {
    const orphans = [
      'SELECT COUNT(*) AS n FROM events WHERE face_id NOT IN (SELECT face_id FROM faces)',
      'SELECT COUNT(*) AS n FROM faces WHERE face_id NOT IN (SELECT face_id FROM events)',
      'SELECT COUNT(*) AS n FROM faces WHERE face_id NOT IN (SELECT face_id FROM list_faces)',
      'SELECT COUNT(*) AS n FROM event_tags WHERE event_id NOT IN (SELECT event_id FROM events)',
      `SELECT COUNT(*) AS n FROM event_descriptors
        WHERE event_id NOT IN (SELECT event_id FROM events)`,
      `SELECT COUNT(*) AS n FROM samples s WHERE NOT EXISTS
        (SELECT 1 FROM faces f, json_each(f.sample_ids) j WHERE j.value = s.sample_id)`,
    ];
    for (const sql of orphans) {
      expect(await scalar(sql), sql).toBe(0);
    }
  });

  it('serves every stored sample and finds every stored face through the gallery', async () => {
    const events = (await api.get(`/6/events?handler_ids=${handlerId}&page_size=100`)).body.events;
    for (const event of events) {
      const sample = await api.raw(`/6/samples/faces/${event.detections[0].sample_id}`, {});
      expect(sample.status).toBe(200);
    }
    const probe = events[0];
    const res = await api.postJson('/6/matcher/faces', {
      references: [{ type: 'event', id: probe.event_id }],
      candidates: [{ filters: { origin: 'faces', list_id: listId }, limit: 100, threshold: 0.99 }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body[0].matches[0].result).toHaveLength(ROUNDS);
  });
});
