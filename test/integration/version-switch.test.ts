/**
 * Switching matching to a new descriptor version (the same recognizer under a new tag) on LFW
 * faces enrolled through the API: every face stays matchable before, during and after the
 * additional extraction, the right person stays on top, a face enrolled meanwhile gets both
 * versions, the gallery and its list index serve the new version once it covers every face,
 * and a restart keeps serving it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api-client.ts';
import { testVision } from '../helpers/appliance.ts';
import { hasLfw } from '../helpers/paths.ts';
import {
  detectSubject,
  enrolPhoto,
  lfwPeople,
  type RestartableAppliance,
  retaggedExtractor,
  runTask,
  startRestartable,
  waitForTask,
} from '../helpers/tasks.ts';

const OLD = 'fr_feature-1';
const RETAG = 'fr_feature-1-v2';

interface Person {
  person: string;
  faceId: string;
  /** A sample of another photo of the person, never enrolled. */
  probeSample: string;
}

let box: RestartableAppliance;
let listId: string;
/** An attribute extracted before the switch, so of the old version. */
let oldAttribute: string;
const people: Person[] = [];
/** An event stored before the switch from the photo of `people[0]`'s probe sample. */
let sighting: string;
const api = (): ApiClient => box.current.api;

/** Events found by face for `people[0]`'s probe sample. */
async function sightings(): Promise<{ id: string; similarity: number }[]> {
  const res = await api().postJson('/6/matcher/faces', {
    references: [{ type: 'sample', id: people[0]!.probeSample }],
    candidates: [{ filters: { origin: 'events' }, limit: 5, threshold: 0.5 }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body[0].matches[0].result.map(
    (r: { event: { event_id: string }; similarity: number }) => ({
      id: r.event.event_id,
      similarity: r.similarity,
    }),
  );
}

/** Matches every person's probe photo and enrolled face; true when each finds its own face. */
async function everyoneMatches(): Promise<void> {
  for (const p of people) {
    const res = await api().postJson('/6/matcher/faces', {
      references: [
        { type: 'sample', id: p.probeSample },
        { type: 'face', id: p.faceId },
      ],
      candidates: [{ filters: { origin: 'faces', list_id: listId }, limit: 1 }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    for (const reference of res.body) {
      const top = reference.matches[0].result[0];
      expect(top.face.external_id).toBe(p.person);
      expect(top.face.face_id).toBe(p.faceId);
    }
  }
}

async function servedVersion(): Promise<string> {
  return (await api().get('/6/version')).body.descriptor_version;
}

async function manifestVersion(): Promise<string | undefined> {
  const file = path.join(box.dataDir, 'indexes', listId, 'manifest.json');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text ? JSON.parse(text).descriptorVersion : undefined;
}

async function indexReady(): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const status = (await api().get(`/6/lists/${listId}/index`)).body;
    if (status.ready && status.state === 'ready') {
      return;
    }
    await Bun.sleep(20);
  }
  throw new Error('the list index never became ready');
}

beforeAll(async () => {
  if (!hasLfw()) {
    return;
  }
  const vision = await testVision();
  box = await startRestartable(
    {
      LUNETTE_TASK_SLICE_MS: '1',
      LUNETTE_TASK_PAUSE_MS: '40',
      LUNETTE_INDEX_MIN_FACES: '8',
    },
    [retaggedExtractor(vision, RETAG)],
  );
  listId = (await api().postJson('/6/lists', { user_data: 'switch' })).body.list_id;
  const enrolled = await lfwPeople(12, 2, 40);
  for (const { person, files } of enrolled) {
    const faceId = await enrolPhoto(api(), files[0]!, person, [listId]);
    const probeSample = await detectSubject(api(), await readFile(files[1]!));
    people.push({ person, faceId, probeSample });
  }
  const handler = await api().postJson('/6/handlers', {
    description: 'sightings',
    policies: { detect_policy: { multiface_policy: 2 } },
  });
  expect(handler.status, JSON.stringify(handler.body)).toBe(201);
  const photo = await readFile(enrolled[0]!.files[1]!);
  const event = await api().postBytes(`/6/handlers/${handler.body.handler_id}/events`, photo);
  expect(event.status, JSON.stringify(event.body)).toBe(201);
  sighting = event.body.events[0].event_id;
}, 180_000);

afterAll(async () => {
  await box?.dispose();
});

describe.skipIf(!hasLfw())('descriptor version switch', () => {
  it('describes stored events in the next version, still searching the served one', async () => {
    expect((await sightings()).map((s) => s.id)).toEqual([sighting]);
    const task = await runTask(api(), 'additional_extraction', {
      descriptor_version: RETAG,
      filters: { origin: 'events' },
    });
    expect(task.summary).toMatchObject({ extracted: 1, events_missing_version: 0 });
    expect(await servedVersion()).toBe(OLD);
    expect((await sightings()).map((s) => s.id)).toEqual([sighting]);
  });

  it('serves the recognizer version, through a list index, before any switch', async () => {
    expect(await servedVersion()).toBe(OLD);
    await indexReady();
    expect(await manifestVersion()).toBe(OLD);
    await everyoneMatches();
    const attribute = await api().postJson('/6/extractor', { samples: [people[0]!.probeSample] });
    expect(attribute.body[0].attributes.descriptor.version).toBe(OLD);
    oldAttribute = attribute.body[0].attribute_id;
  });

  it('keeps every face matchable during the extraction and switches once it covers all', async () => {
    const created = await api().postJson('/6/tasks/additional_extraction', {
      descriptor_version: RETAG,
      batch_size: 1,
    });
    expect(created.status).toBe(202);
    let probesWhileRunning = 0;
    let lateFace: { versions: string[] } | undefined;
    for (;;) {
      const task = (await api().get(`/6/tasks/${created.body.task_id}`)).body;
      await everyoneMatches();
      probesWhileRunning += task.status === 'running' ? 1 : 0;
      if (!lateFace && task.status === 'running') {
        // Enrolled while two versions are in play: it gets both, so coverage never regresses.
        const late = await lfwPeople(1, 2, 300);
        const faceId = await enrolPhoto(api(), late[0]!.files[0]!, late[0]!.person, [listId]);
        const view = (await api().get(`/6/faces/${faceId}`)).body;
        lateFace = { versions: view.attributes.descriptor_versions };
      }
      if (task.status !== 'running' && task.status !== 'pending') {
        expect(task.status).toBe('done');
        expect(task.summary).toMatchObject({
          covered: true,
          switched: true,
          serving_version: RETAG,
          faces_missing_version: 0,
        });
        break;
      }
      await Bun.sleep(5);
    }
    expect(probesWhileRunning).toBeGreaterThan(0);
    expect(lateFace?.versions.sort()).toEqual([OLD, RETAG]);
    expect(await servedVersion()).toBe(RETAG);
    await everyoneMatches();
    // The events' descriptors of the new version were loaded at the switch.
    const found = await sightings();
    expect(found.map((s) => s.id)).toEqual([sighting]);
    expect(found[0]!.similarity).toBeGreaterThan(0.99);
  });

  it('rebuilds the list index for the new version and keeps matching through it', async () => {
    await indexReady();
    expect(await manifestVersion()).toBe(RETAG);
    await everyoneMatches();
  });

  it('describes new requests with the served version and refuses descriptors of the old', async () => {
    const attribute = await api().postJson('/6/extractor', { samples: [people[0]!.probeSample] });
    expect(attribute.body[0].attributes.descriptor.version).toBe(RETAG);
    const candidates = [{ filters: { origin: 'faces', list_id: listId } }];
    const fresh = await api().postJson('/6/matcher/faces', {
      references: [{ type: 'attribute', id: attribute.body[0].attribute_id }],
      candidates,
    });
    expect(fresh.body[0].matches[0].result[0].face.face_id).toBe(people[0]!.faceId);
    const stale = await api().postJson('/6/matcher/faces', {
      references: [{ type: 'attribute', id: oldAttribute }],
      candidates,
    });
    expect(stale.status).toBe(400);
    expect(stale.body.error_code).toBe(22);
    const raw = await api().postJson('/6/matcher/raw', {
      references: [
        {
          id: 'old',
          descriptor: Buffer.from(new Float32Array(512).fill(0.1).buffer).toString('base64'),
          descriptor_version: OLD,
        },
      ],
      candidates,
    });
    expect(raw.status).toBe(400);
    expect(raw.body.error_code).toBe(22);
  });

  it('keeps serving the new version after a restart', async () => {
    await box.stop();
    await box.restart();
    expect(await servedVersion()).toBe(RETAG);
    await everyoneMatches();
    expect((await sightings()).map((s) => s.id)).toEqual([sighting]);
    await indexReady();
    expect(await manifestVersion()).toBe(RETAG);
  });

  it('refuses to remove the served version and removes the retired one', async () => {
    const refused = await api().postJson('/6/tasks/gc', {
      target: 'descriptors',
      descriptor_version: RETAG,
    });
    expect(refused.status).toBe(400);
    const created = await api().postJson('/6/tasks/gc', {
      target: 'descriptors',
      descriptor_version: OLD,
    });
    const task = await waitForTask(api(), created.body.task_id);
    // Every person's face, the face enrolled during the extraction, and the stored event.
    expect(task.counts.descriptors).toBe(people.length + 2);
    await everyoneMatches();
    expect((await sightings()).map((s) => s.id)).toEqual([sighting]);
  });
});
