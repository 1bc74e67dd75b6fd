/**
 * Tasks over events made by a stored handler from LFW photos: export, clustering with tracks
 * forced together, linking the faces of events, cross-matching events to faces, and the
 * estimator over a folder and a zip archive inside the import folder.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../src/tasks/internal/zip-writer.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { hasLfw } from '../helpers/paths.ts';
import {
  lfwPeople,
  type RestartableAppliance,
  resultOf,
  runTask,
  startRestartable,
} from '../helpers/tasks.ts';

interface Made {
  eventId: string;
  faceId: string;
  person: string;
  track: string;
  file: string;
}

let box: RestartableAppliance;
let importDir: string;
let handlerId: string;
let photos: { person: string; files: string[] }[] = [];
const made: Made[] = [];
const api = (): ApiClient => box.current.api;

async function postEvent(file: string, person: string, track: string): Promise<Made> {
  const query = `?track_id=${track}&external_id=${person}&source=door`;
  const res = await api().postBytes(
    `/6/handlers/${handlerId}/events${query}`,
    await readFile(file),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const event = res.body.events[0];
  return { eventId: event.event_id, faceId: event.face_id, person, track, file };
}

beforeAll(async () => {
  if (!hasLfw()) {
    return;
  }
  importDir = await mkdtemp(path.join(tmpdir(), 'lunette-import-'));
  box = await startRestartable({ LUNETTE_IMPORT_DIR: importDir });
  const handler = await api().postJson('/6/handlers', {
    description: 'door',
    policies: {
      detect_policy: { multiface_policy: 2 },
      storage_policy: { face_policy: { store_face: 1 } },
    },
  });
  expect(handler.status, JSON.stringify(handler.body)).toBe(201);
  handlerId = handler.body.handler_id;
  photos = await lfwPeople(4, 3, 200);
  for (const { person, files } of photos) {
    for (const file of files) {
      made.push(await postEvent(file, person, `track-${person}`));
    }
  }
  // One photo of the last person walks in on the first person's track.
  const last = photos[3]!;
  made.push(await postEvent(last.files[0]!, last.person, `track-${photos[0]!.person}`));
}, 120_000);

afterAll(async () => {
  await box?.dispose();
  await rm(importDir, { recursive: true, force: true });
});

const events = { origin: 'events', handler_ids: [] as string[] };

describe.skipIf(!hasLfw())('tasks over events', () => {
  it('exports the events a filter picks with the fields asked for', async () => {
    events.handler_ids = [handlerId];
    const task = await runTask(api(), 'exporter', {
      filters: events,
      fields: ['external_id', 'event_id', 'track_id'],
    });
    expect(task.status).toBe('done');
    const rows = new TextDecoder()
      .decode((await resultOf(api(), task.task_id)).bytes)
      .trim()
      .split('\r\n');
    expect(rows[0]).toBe('event_id,track_id,external_id');
    const expected = made.map((m) => `${m.eventId},${m.track},${m.person}`);
    expect(rows.slice(1).sort()).toEqual(expected.sort());
    const refused = await api().postJson('/6/tasks/exporter', {
      filters: events,
      fields: ['lists'],
    });
    expect(refused.body.issues[0].path).toBe('body.fields');
  });

  it('clusters events by person, and forces a track together when asked', async () => {
    const clusterOf = async (group: boolean) => {
      const task = await runTask(api(), 'clustering', {
        filters: events,
        group_by_track_id: group,
      });
      expect(task.status).toBe('done');
      const result = JSON.parse(
        new TextDecoder().decode((await resultOf(api(), task.task_id)).bytes),
      );
      return (eventId: string) =>
        result.clusters.findIndex((c: { event_ids: string[] }) => c.event_ids.includes(eventId));
    };
    const walkIn = made.at(-1)!;
    const firstOfA = made[0]!;
    const firstOfD = made.find((m) => m.person === walkIn.person)!;
    const bySimilarity = await clusterOf(false);
    expect(bySimilarity(walkIn.eventId)).toBe(bySimilarity(firstOfD.eventId));
    expect(bySimilarity(walkIn.eventId)).not.toBe(bySimilarity(firstOfA.eventId));
    const byTrack = await clusterOf(true);
    expect(byTrack(walkIn.eventId)).toBe(byTrack(firstOfA.eventId));
    const onFaces = await api().postJson('/6/tasks/clustering', {
      filters: { origin: 'faces' },
      group_by_track_id: true,
    });
    expect(onFaces.body.issues[0].path).toBe('body.group_by_track_id');
  });

  it('links the faces of the events a filter picks to a new list', async () => {
    const task = await runTask(api(), 'linker', {
      filters: { ...events, track_ids: [`track-${photos[1]!.person}`] },
      create_list: { user_data: 'from events' },
    });
    expect(task.status).toBe('done');
    const members = await api().get(`/6/faces?list_id=${task.summary.list_id}`);
    const expected = made
      .filter((m) => m.track === `track-${photos[1]!.person}`)
      .map((m) => m.faceId);
    expect(members.body.faces.map((f: { face_id: string }) => f.face_id).sort()).toEqual(
      expected.sort(),
    );
  });

  it('cross-matches events against faces: each event finds a face of its photo', async () => {
    const task = await runTask(api(), 'cross_match', {
      references: { filters: events },
      candidates: { filters: { origin: 'faces', face_ids: made.map((m) => m.faceId) } },
      limit: 1,
    });
    const result = JSON.parse(
      new TextDecoder().decode((await resultOf(api(), task.task_id)).bytes),
    );
    // The walk-in photo was posted twice, so its two faces tie: either is right.
    const fileOf = new Map(made.map((m) => [m.eventId, m.file]));
    const facesOf = (file: string) => made.filter((m) => m.file === file).map((m) => m.faceId);
    expect(result.references).toHaveLength(made.length);
    for (const r of result.references) {
      expect(facesOf(fileOf.get(r.reference_id)!)).toContain(r.matches[0].candidate_id);
      expect(r.matches[0].similarity).toBeGreaterThan(0.99);
    }
  });

  it('runs a handler over a folder and a zip, collecting per-image errors', async () => {
    await mkdir(path.join(importDir, 'batch', 'sub'), { recursive: true });
    const files = photos[2]!.files;
    await writeFile(path.join(importDir, 'batch', 'a.jpg'), await readFile(files[0]!));
    await writeFile(path.join(importDir, 'batch', 'sub', 'b.jpg'), await readFile(files[1]!));
    await writeFile(path.join(importDir, 'batch', 'notes.txt'), 'not an image');
    const folder = await runTask(api(), 'estimator', {
      handler_id: handlerId,
      source: { type: 'folder', path: 'batch' },
    });
    expect(folder.status).toBe('done');
    expect(folder.summary).toEqual({ images: 2, events: 2 });
    const zip = createZip([
      { name: 'one.jpg', data: await readFile(files[2]!) },
      { name: 'broken.jpg', data: new TextEncoder().encode('no jpeg here') },
      { name: 'readme.md', data: new TextEncoder().encode('#') },
    ]);
    await writeFile(path.join(importDir, 'photos.zip'), zip);
    const archive = await runTask(api(), 'estimator', {
      handler_id: handlerId,
      source: { type: 'zip', path: 'photos.zip' },
      event_source: 'archive',
    });
    expect(archive.summary).toEqual({ images: 2, events: 1 });
    expect(archive.errors).toEqual([{ item: 'broken.jpg', error: expect.any(String) }]);
    const stored = await api().get('/6/events?sources=archive');
    expect(stored.body.events).toHaveLength(1);
  });

  it('refuses paths outside the import folder and unknown handlers', async () => {
    const outside = await api().postJson('/6/tasks/estimator', {
      handler_id: handlerId,
      source: { type: 'folder', path: '../' },
    });
    expect(outside.status).toBe(400);
    expect(outside.body.issues[0].path).toBe('body.source.path');
    const missing = await api().postJson('/6/tasks/estimator', {
      handler_id: handlerId,
      source: { type: 'folder', path: 'no-such-folder' },
    });
    expect(missing.status).toBe(400);
    // Outside and missing read the same, so the answer reveals nothing about other folders.
    expect(missing.body.detail.replace('no-such-folder', '../')).toBe(outside.body.detail);
    const unknown = await api().postJson('/6/tasks/estimator', {
      handler_id: crypto.randomUUID(),
      source: { type: 'folder', path: 'batch' },
    });
    expect(unknown.status).toBe(404);
  });
});
