/**
 * Model upgrades over several restarts, with recognizers configured and removed in between
 * (the shipped model under new tags): a second upgrade survives a restart with exactly one
 * serving row; a start without the served version's recognizer falls back only when every face
 * has the shipped version, else it refuses naming the fix; a face made from an attribute of an
 * older version is described again in the served one, or refused with error 22; and coverage is
 * per box: an admin's run covers every account, a user's run reports the faces it left.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Appliance, createAppliance } from '../../src/app.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createLogger, setLogLevel } from '../../src/logger/index.ts';
import { createAccount } from '../helpers/accounts.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { testConfig, testVision } from '../helpers/appliance.ts';
import { basicAuth, TEST_ADMIN } from '../helpers/credentials.ts';
import { hasLfw } from '../helpers/paths.ts';
import {
  detectSubject,
  enrolPhoto,
  lfwPeople,
  retaggedExtractor,
  runTask,
} from '../helpers/tasks.ts';

const [V1, V2, V3, V4] = ['fr_feature-1', 'fr_feature-2', 'fr_feature-3', 'fr_feature-4'];

interface Box {
  appliance: Appliance;
  api: ApiClient;
}

/** Opens an appliance on `dataDir` with recognizers of `tags` loaded beside the shipped one. */
async function openBox(dataDir: string, tags: string[]): Promise<Box> {
  const vision = await testVision();
  const appliance = await createAppliance({
    config: testConfig(dataDir, { MQTT_LISTEN: 'off' }),
    vision,
    logger: createLogger({ module: 'test' }),
    extraExtractors: tags.map((tag) => retaggedExtractor(vision, tag)),
  });
  const api = apiClient(appliance.app, basicAuth(TEST_ADMIN.login, TEST_ADMIN.password));
  return { appliance, api };
}

async function versionStates(dataDir: string): Promise<Record<string, string>> {
  const db = await openDatabase(`file:${path.join(dataDir, 'lunette.db')}`);
  const rs = await db.execute('SELECT descriptor_version, state FROM descriptor_versions');
  db.close();
  return Object.fromEntries(rs.rows.map((r) => [String(r.descriptor_version), String(r.state)]));
}

async function servedVersion(api: ApiClient): Promise<string> {
  return (await api.get('/6/version')).body.descriptor_version;
}

/** The face on top of `listId` for a sample, or undefined when nothing matches. */
async function topFace(api: ApiClient, sampleId: string, listId: string) {
  const res = await api.postJson('/6/matcher/faces', {
    references: [{ type: 'sample', id: sampleId }],
    candidates: [{ filters: { origin: 'faces', list_id: listId }, limit: 1 }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body[0].matches[0].result[0]?.face.face_id as string | undefined;
}

/** An attribute of the version served now, from a photo; with its sample id. */
async function attributeOf(api: ApiClient, file: string) {
  const sampleId = await detectSubject(api, await readFile(file));
  const res = await api.postJson('/6/extractor', { samples: [sampleId] });
  expect(res.status).toBe(201);
  return { sampleId, attributeId: res.body[0].attribute_id as string };
}

let dataDir: string;

beforeAll(() => {
  setLogLevel('error');
});

describe.skipIf(!hasLfw())('upgrades across restarts', () => {
  let box: Box | undefined;
  let listId: string;
  const probes: { faceId: string; sample: string }[] = [];
  /** Attributes of the shipped version, made before any switch. */
  let oldWithSample: { sampleId: string; attributeId: string };
  let oldWithoutSample: { sampleId: string; attributeId: string };
  let people: { person: string; files: string[] }[];

  beforeAll(async () => {
    if (!hasLfw()) {
      return;
    }
    dataDir = await mkdtemp(path.join(tmpdir(), 'lunette-upgrades-'));
    people = await lfwPeople(4, 2, 60);
  }, 60_000);

  afterAll(async () => {
    await box?.appliance.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });

  async function restart(tags: string[]): Promise<void> {
    await box?.appliance.close();
    box = undefined;
    box = await openBox(dataDir, tags);
  }

  async function enrol(index: number): Promise<void> {
    const { person, files } = people[index]!;
    const faceId = await enrolPhoto(box!.api, files[0]!, person, [listId]);
    probes.push({ faceId, sample: await detectSubject(box!.api, await readFile(files[1]!)) });
  }

  async function everyoneMatches(): Promise<void> {
    for (const probe of probes) {
      expect(await topFace(box!.api, probe.sample, listId)).toBe(probe.faceId);
    }
  }

  it('switches to a second version while a third is being extracted', async () => {
    await restart([V2, V3]);
    listId = (await box!.api.postJson('/6/lists', {})).body.list_id;
    await enrol(0);
    oldWithSample = await attributeOf(box!.api, people[2]!.files[0]!);
    oldWithoutSample = await attributeOf(box!.api, people[3]!.files[0]!);
    // v3 starts but covers nothing (its run picks no face): it stays `extracting`.
    const none = { origin: 'faces', face_ids: [crypto.randomUUID()] };
    const v3 = await runTask(box!.api, 'additional_extraction', {
      descriptor_version: V3,
      filters: none,
    });
    expect(v3.summary).toMatchObject({ covered: false, switched: false });
    const v2 = await runTask(box!.api, 'additional_extraction', { descriptor_version: V2 });
    expect(v2.summary).toMatchObject({ covered: true, switched: true, serving_version: V2 });
    expect(await versionStates(dataDir)).toEqual({
      [V1]: 'retired',
      [V2]: 'serving',
      [V3]: 'extracting',
    });
  });

  it('falls back to the shipped version, with every face having it, and persists that', async () => {
    await restart([V4]);
    expect(await servedVersion(box!.api)).toBe(V1);
    await everyoneMatches();
    // v3 has no recognizer any more: its `extracting` row is gone.
    expect(await versionStates(dataDir)).toEqual({ [V1]: 'serving', [V2]: 'retired' });
  });

  it('keeps the second upgrade and the faces enrolled after it across a restart', async () => {
    const v4 = await runTask(box!.api, 'additional_extraction', { descriptor_version: V4 });
    expect(v4.summary).toMatchObject({ covered: true, switched: true, serving_version: V4 });
    await enrol(1);
    await restart([V4]);
    expect(await servedVersion(box!.api)).toBe(V4);
    await everyoneMatches();
    expect(await versionStates(dataDir)).toEqual({
      [V1]: 'retired',
      [V2]: 'retired',
      [V4]: 'serving',
    });
  });

  it('describes a face from an older attribute again in the served version', async () => {
    const res = await box!.api.postJson('/6/faces', {
      attribute_id: oldWithSample.attributeId,
      lists: [listId],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const view = (await box!.api.get(`/6/faces/${res.body.face_id}`)).body;
    expect(view.attributes.descriptor_versions.sort()).toEqual([V1, V4]);
    expect(await topFace(box!.api, oldWithSample.sampleId, listId)).toBe(res.body.face_id);
  });

  it('refuses a face from an older attribute whose sample is gone (error 22)', async () => {
    const deleted = await box!.api.delete(`/6/samples/faces/${oldWithoutSample.sampleId}`);
    expect(deleted.status).toBe(204);
    const res = await box!.api.postJson('/6/faces', {
      attribute_id: oldWithoutSample.attributeId,
      lists: [listId],
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe(22);
    expect(res.body.detail).toMatch(/version fr_feature-1, matching serves fr_feature-4/);
  });

  it('refuses to start without the served recognizer when a face lacks the shipped version', async () => {
    await box!.appliance.close();
    box = undefined;
    await expect(openBox(dataDir, [V2])).rejects.toThrow(
      /LUNETTE_EXTRA_RECOGNIZERS.*serves descriptor version fr_feature-4.*set LUNETTE_EXTRA_RECOGNIZERS to include fr_feature-4=<file>/,
    );
    expect((await versionStates(dataDir))[V4]).toBe('serving');
    await restart([V4]);
    expect(await servedVersion(box!.api)).toBe(V4);
    await everyoneMatches();
  });
});

describe.skipIf(!hasLfw())('coverage of two accounts', () => {
  let box: Box;

  beforeAll(async () => {
    if (!hasLfw()) {
      return;
    }
    dataDir = await mkdtemp(path.join(tmpdir(), 'lunette-coverage-'));
    box = await openBox(dataDir, [V2, V3]);
  }, 60_000);

  afterAll(async () => {
    await box?.appliance.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("covers every account's faces in an admin's run and only the user's own in theirs", async () => {
    const alice = await createAccount(box.appliance.app, box.api, 'user', 'alice');
    const [first, second] = await lfwPeople(2, 1, 90);
    const adminList = (await box.api.postJson('/6/lists', {})).body.list_id;
    const aliceList = (await alice.api.postJson('/6/lists', {})).body.list_id;
    await enrolPhoto(box.api, first!.files[0]!, first!.person, [adminList]);
    await enrolPhoto(alice.api, second!.files[0]!, second!.person, [aliceList]);

    const own = await runTask(alice.api, 'additional_extraction', { descriptor_version: V3 });
    expect(own.summary).toMatchObject({
      scope: 'account',
      extracted: 1,
      faces_missing_version: 0,
      box_faces_missing_version: 1,
      covered: false,
      switched: false,
      serving_version: V1,
    });

    const all = await runTask(box.api, 'additional_extraction', { descriptor_version: V2 });
    expect(all.summary).toMatchObject({
      scope: 'box',
      extracted: 2,
      faces_missing_version: 0,
      box_faces_missing_version: 0,
      covered: true,
      switched: true,
      serving_version: V2,
    });
  });
});
