/**
 * Tasks over stored events made from LFW photos by three handlers: additional extraction of a
 * second descriptor version from the samples events kept, gc of the kept photos of some events
 * (the events stay), and gc of events with their rows and files, resumed after a restart.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api-client.ts';
import { testVision } from '../helpers/appliance.ts';
import { hasLfw } from '../helpers/paths.ts';
import {
  lfwPeople,
  type RestartableAppliance,
  retaggedExtractor,
  runTask,
  startRestartable,
  waitForTask,
} from '../helpers/tasks.ts';

const RETAG = 'fr_feature-1-events';

/** One stored event as the test knows it. */
interface Made {
  eventId: string;
  handler: 'keep' | 'face' | 'bare';
  source: string;
  sampleId: string | null;
  originId: string | null;
  attributeId: string | null;
  /** The photo the event was made from. */
  file: string;
}

let box: RestartableAppliance;
const handlers: Record<Made['handler'], string> = { keep: '', face: '', bare: '' };
const made: Made[] = [];
const api = (): ApiClient => box.current.api;

const STORAGE: Record<Made['handler'], object> = {
  // Sample, photo and a temporary attribute; no face; sent over WebSocket (an outbox row each).
  keep: {
    image_origin_policy: { store_image: 1 },
    attribute_policy: { store_attribute: 1, ttl: 3600 },
    callbacks: [{ type: 'ws' }],
  },
  // Sample and photo, and a face holding the sample as its avatar.
  face: { image_origin_policy: { store_image: 1 }, face_policy: { store_face: 1 } },
  // Nothing kept but the event.
  bare: { face_sample_policy: { store_sample: 0 } },
};

async function filesIn(folder: string, extension: string): Promise<Set<string>> {
  const root = path.join(box.dataDir, folder);
  const files = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return new Set(
    files.filter((f) => f.endsWith(extension)).map((f) => path.basename(f, extension)),
  );
}

async function postEvent(handler: Made['handler'], file: string, source: string) {
  const res = await api().postBytes(
    `/6/handlers/${handlers[handler]}/events?source=${source}`,
    await readFile(file),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const event = res.body.events[0];
  const detection = event.detections[0];
  made.push({
    eventId: event.event_id,
    handler,
    source,
    sampleId: detection.sample_id,
    originId: detection.image_origin?.split('/').at(-1) ?? null,
    attributeId: event.attribute_id ?? null,
    file,
  });
}

/** Events found by face (search over events) for the person of the photo `file`. */
async function sightings(file: string): Promise<string[]> {
  const sample = await api().postBytes('/6/detector', await readFile(file));
  const sampleId = sample.body.images[0].detections.samples[0].sample_id;
  const res = await api().postJson('/6/matcher/faces', {
    references: [{ type: 'sample', id: sampleId }],
    candidates: [{ filters: { origin: 'events' }, limit: 20, threshold: 0.9 }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body[0].matches[0].result.map(
    (r: { event: { event_id: string } }) => r.event.event_id,
  );
}

/** Event ids of the rows `sql` selects from the box's database. */
async function eventIdsOf(sql: string, args: string[] = []): Promise<Set<string>> {
  const db = createClient({ url: `file:${path.join(box.dataDir, 'lunette.db')}` });
  const rs = await db.execute({ sql, args });
  db.close();
  return new Set(rs.rows.map((r) => String(r.event_id)));
}

function descriptorRows(version: string): Promise<Set<string>> {
  return eventIdsOf('SELECT event_id FROM event_descriptors WHERE descriptor_version = ?', [
    version,
  ]);
}

const ofEvents = (pick: (m: Made) => boolean) => made.filter(pick);

beforeAll(async () => {
  if (!hasLfw()) {
    return;
  }
  const vision = await testVision();
  box = await startRestartable({ LUNETTE_TASK_SLICE_MS: '1', LUNETTE_TASK_PAUSE_MS: '40' }, [
    retaggedExtractor(vision, RETAG),
  ]);
  for (const name of Object.keys(STORAGE) as Made['handler'][]) {
    const res = await api().postJson('/6/handlers', {
      description: name,
      policies: { detect_policy: { multiface_policy: 2 }, storage_policy: STORAGE[name] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    handlers[name] = res.body.handler_id;
  }
  const photos = (await lfwPeople(9, 1, 500)).map((p) => p.files[0]!);
  const plan: [Made['handler'], string][] = [
    ['keep', 'door'],
    ['keep', 'door'],
    ['keep', 'door'],
    ['keep', 'lobby'],
    ['keep', 'lobby'],
    ['face', 'door'],
    ['face', 'door'],
    ['bare', 'door'],
    ['bare', 'door'],
  ];
  for (const [i, [handler, source]] of plan.entries()) {
    await postEvent(handler, photos[i]!, source);
  }
}, 120_000);

afterAll(async () => {
  await box?.dispose();
});

describe.skipIf(!hasLfw())('tasks that remove and re-describe events', () => {
  it('kept what each handler asked for', async () => {
    expect(ofEvents((m) => m.sampleId !== null)).toHaveLength(7);
    expect(ofEvents((m) => m.originId !== null)).toHaveLength(7);
    expect(ofEvents((m) => m.attributeId !== null)).toHaveLength(5);
    const samples = await filesIn('samples', '.jpg');
    for (const m of ofEvents((e) => e.sampleId !== null)) {
      expect(samples.has(m.sampleId!)).toBe(true);
    }
  });

  it('extracts a second version for events that kept samples, counting the rest', async () => {
    const body = {
      descriptor_version: RETAG,
      filters: { origin: 'events', handler_ids: Object.values(handlers) },
      batch_size: 2,
    };
    const task = await runTask(api(), 'additional_extraction', body);
    expect(task.status).toBe('done');
    expect(task.summary).toMatchObject({
      origin: 'events',
      extracted: 7,
      without_sample: 2,
      events_missing_version: 0,
      covered: true,
    });
    const withSample = ofEvents((m) => m.sampleId !== null).map((m) => m.eventId);
    expect([...(await descriptorRows(RETAG))].sort()).toEqual(withSample.sort());
    const again = await runTask(api(), 'additional_extraction', body);
    expect(again.counts.extracted ?? 0).toBe(0);
    expect(again.counts.without_sample).toBe(2);
  });

  it('removes the kept photos of the events picked, leaving the events', async () => {
    const lobby = ofEvents((m) => m.source === 'lobby');
    const task = await runTask(api(), 'gc', {
      target: 'origin_images',
      older_than: 0,
      filters: { sources: ['lobby'] },
    });
    expect(task.status).toBe('done');
    expect(task.counts).toMatchObject({ origin_images: 2 });
    const origins = await filesIn('origins', '.img');
    for (const m of made.filter((e) => e.originId !== null)) {
      expect(origins.has(m.originId!)).toBe(m.source !== 'lobby');
    }
    for (const m of lobby) {
      const event = (await api().get(`/6/events/${m.eventId}`)).body;
      expect(event.detections[0].image_origin).toBeNull();
      expect(event.detections[0].sample_id).toBe(m.sampleId);
      expect((await api().get(`/6/events/origins/${m.originId}`)).status).toBe(404);
    }
    const kept = made.find((m) => m.source === 'door' && m.originId)!;
    expect((await api().get(`/6/events/origins/${kept.originId}`)).status).toBe(200);
  });

  it('removes the events picked with their samples, photos, attribute and descriptors', async () => {
    const doomed = ofEvents((m) => m.handler === 'keep' && m.source === 'door');
    for (const m of doomed) {
      expect(await sightings(m.file)).toContain(m.eventId);
    }
    const task = await runTask(api(), 'gc', {
      target: 'events',
      older_than: 0,
      filters: { handler_ids: [handlers.keep], sources: ['door'] },
      batch_size: 2,
    });
    expect(task.status).toBe('done');
    expect(task.counts).toMatchObject({ events: 3, samples: 3, origin_images: 3 });
    const samples = await filesIn('samples', '.jpg');
    const origins = await filesIn('origins', '.img');
    for (const m of doomed) {
      expect((await api().get(`/6/events/${m.eventId}`)).status).toBe(404);
      expect((await api().get(`/6/events/origins/${m.originId}`)).status).toBe(404);
      expect((await api().get(`/6/attributes/${m.attributeId}`)).status).toBe(404);
      expect(samples.has(m.sampleId!)).toBe(false);
      expect(origins.has(m.originId!)).toBe(false);
    }
    for (const m of made.filter((e) => !doomed.includes(e))) {
      expect((await api().get(`/6/events/${m.eventId}`)).status).toBe(200);
      if (m.sampleId) {
        expect(samples.has(m.sampleId)).toBe(true);
      }
    }
    const rows = await descriptorRows(RETAG);
    expect(doomed.some((m) => rows.has(m.eventId))).toBe(false);
    // Search by face never returns a removed event; the others are still found.
    for (const m of made) {
      expect(await sightings(m.file)).toEqual(doomed.includes(m) ? [] : [m.eventId]);
    }
    const outbox = await eventIdsOf('SELECT event_id FROM deliveries');
    expect(doomed.some((m) => outbox.has(m.eventId))).toBe(false);
    for (const m of ofEvents((e) => e.handler === 'keep' && e.source === 'lobby')) {
      expect(outbox.has(m.eventId)).toBe(true);
    }
    const listed = (await api().get(`/6/events?handler_ids=${handlers.keep}`)).body.events;
    expect(listed.map((e: { event_id: string }) => e.event_id).sort()).toEqual(
      ofEvents((m) => m.handler === 'keep' && m.source === 'lobby')
        .map((m) => m.eventId)
        .sort(),
    );
  });

  it('finds the remaining events by face again after a restart', async () => {
    await box.stop();
    await box.restart();
    for (const m of ofEvents((e) => !(e.handler === 'keep' && e.source === 'door'))) {
      expect(await sightings(m.file)).toEqual([m.eventId]);
    }
  });

  it('removes the event descriptors of a retired version, keeping the events', async () => {
    const before = await descriptorRows(RETAG);
    expect(before.size).toBeGreaterThan(0);
    const task = await runTask(api(), 'gc', { target: 'descriptors', descriptor_version: RETAG });
    expect(task.status).toBe('done');
    expect(task.counts.descriptors).toBeGreaterThanOrEqual(before.size);
    expect(await descriptorRows(RETAG)).toEqual(new Set());
    for (const eventId of before) {
      expect((await api().get(`/6/events/${eventId}`)).status).toBe(200);
    }
  });

  it('resumes an interrupted gc after a restart and finishes it exactly', async () => {
    const left = ofEvents((m) => !(m.handler === 'keep' && m.source === 'door'));
    const created = await api().postJson('/6/tasks/gc', {
      target: 'events',
      older_than: 0,
      batch_size: 1,
    });
    expect(created.status).toBe(202);
    const taskId = created.body.task_id;
    await waitForTask(api(), taskId, (t) => (t.counts.events ?? 0) >= 1);
    await box.stop();
    await box.restart();
    const task = await waitForTask(api(), taskId);
    expect(task.status).toBe('done');
    expect(task.attempts).toBe(2);
    expect(task.counts.events).toBe(left.length);
    // The face handler's samples are avatars of faces: they stay, rows and files.
    expect(task.counts.samples_kept).toBe(2);
    expect((await api().get('/6/events')).body.events).toEqual([]);
    const samples = await filesIn('samples', '.jpg');
    for (const m of left.filter((e) => e.sampleId !== null)) {
      expect(samples.has(m.sampleId!)).toBe(m.handler === 'face');
    }
    expect(await filesIn('origins', '.img')).toEqual(new Set());
    expect(await descriptorRows(RETAG)).toEqual(new Set());
  });
});
