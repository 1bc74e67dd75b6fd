/**
 * Recognizers named by configuration (`LUNETTE_EXTRA_RECOGNIZERS`): here the shipped model file
 * under two new tags, loaded at once. Faces enrolled through the API get the descriptors of one
 * from their stored samples, matching switches to it, and the right person stays on top. A
 * clashing or repeated tag, a malformed value, a missing file and a model that is not a
 * recognizer of 112×112 crops each stop start-up, naming the key or the file.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppliance } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger/index.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import {
  startTestAppliance,
  type TestAppliance,
  testConfig,
  testVision,
} from '../helpers/appliance.ts';
import { MODELS_DIR } from '../helpers/paths.ts';
import { detectSubject, enrolPhoto, lfwPeople, runTask } from '../helpers/tasks.ts';

const NEW_TAG = 'fr_feature-2';
const OTHER_TAG = 'fr_feature-3';
const RECOGNIZER_FILE = path.join(MODELS_DIR, 'fr_feature.onnx');
const AGE_FILE = path.join(MODELS_DIR, 'fr_age.onnx');

let box: TestAppliance;
let api: ApiClient;

beforeAll(async () => {
  box = await startTestAppliance({
    LUNETTE_EXTRA_RECOGNIZERS: `${NEW_TAG}=${RECOGNIZER_FILE};${OTHER_TAG}=${RECOGNIZER_FILE}@0.3,20`,
  });
  api = apiClient(box.app, box.adminAuth);
});

afterAll(async () => {
  await box?.dispose();
});

describe('configured extra recognizers', () => {
  it('are all loaded, each one a version an extraction may add', async () => {
    const unknown = await api.postJson('/6/tasks/additional_extraction', {
      descriptor_version: 'fr_feature-9',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain(`${NEW_TAG}, ${OTHER_TAG}`);
  });

  it('is extracted from stored samples, then serves matching with the right person on top', async () => {
    const listId = (await api.postJson('/6/lists', {})).body.list_id;
    const probes: { person: string; faceId: string; sample: string }[] = [];
    for (const { person, files } of await lfwPeople(4, 2, 120)) {
      const faceId = await enrolPhoto(api, files[0]!, person, [listId]);
      probes.push({ person, faceId, sample: await detectSubject(api, await readFile(files[1]!)) });
    }
    const task = await runTask(api, 'additional_extraction', { descriptor_version: NEW_TAG });
    expect(task.status).toBe('done');
    expect(task.summary).toMatchObject({ covered: true, switched: true, extracted: 4 });
    expect((await api.get('/6/version')).body.descriptor_version).toBe(NEW_TAG);
    for (const probe of probes) {
      const res = await api.postJson('/6/matcher/faces', {
        references: [{ type: 'sample', id: probe.sample }],
        candidates: [{ filters: { origin: 'faces', list_id: listId }, limit: 1 }],
      });
      expect(res.status).toBe(201);
      expect(res.body[0].matches[0].result[0].face.face_id).toBe(probe.faceId);
    }
  });
});

describe('a misconfigured second recognizer', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lunette-extra-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startWith(value: string) {
    const config = testConfig(dataDir, { LUNETTE_EXTRA_RECOGNIZERS: value });
    const logger = createLogger({ module: 'test' });
    return createAppliance({ config, vision: await testVision(), logger });
  }

  it('refuses the shipped version tag', async () => {
    await expect(
      startWith(`${NEW_TAG}=${RECOGNIZER_FILE};fr_feature-1=${RECOGNIZER_FILE}`),
    ).rejects.toThrow(
      /LUNETTE_EXTRA_RECOGNIZERS: version fr_feature-1 is the shipped recognizer's own/,
    );
  });

  it('refuses a model that is not a recognizer of 112×112 crops, naming the file', async () => {
    const refused = startWith(`${NEW_TAG}=${AGE_FILE}`);
    await expect(refused).rejects.toMatchObject({ code: 'model_unavailable' });
    await expect(refused).rejects.toThrow(
      /extra recognizer .*fr_age\.onnx is not a face recognizer of 112×112 crops: its input shape is \[1,3,64,64\], not \[1,3,112,112\]/,
    );
  });

  it('names the missing model file', async () => {
    await expect(startWith(`${NEW_TAG}=${path.join(dataDir, 'none.onnx')}`)).rejects.toThrow(
      /extra recognizer model not loaded from .*none\.onnx/,
    );
  });

  it('names the key of a malformed value, calibration or repeated tag', () => {
    const refusals = [
      ['no-equals-sign', /must be <version tag>=<path to \.onnx file>\[@<centre cosine>,<slope>\]/],
      [`${NEW_TAG}=`, /must be <version tag>=/],
      [`${NEW_TAG}=a.onnx@0.3,-2`, /calibration must be <centre cosine>,<slope>/],
      [`${NEW_TAG}=a.onnx@1.5,20`, /centre must lie in \(-1, 1\)/],
      [`${NEW_TAG}=a.onnx;${NEW_TAG}=b.onnx`, /version fr_feature-2 is named twice/],
    ] as const;
    for (const [value, reason] of refusals) {
      const load = () => loadConfig({ LUNETTE_EXTRA_RECOGNIZERS: value });
      expect(load).toThrow(/^invalid configuration \(LUNETTE_EXTRA_RECOGNIZERS\)/);
      expect(load).toThrow(reason);
    }
    expect(() => loadConfig({ LUNETTE_EXTRA_RECOGNIZER: `${NEW_TAG}=a.onnx` })).toThrow(
      /LUNETTE_EXTRA_RECOGNIZER: replaced by LUNETTE_EXTRA_RECOGNIZERS=/,
    );
  });

  it('reads several entries, each with its own calibration or none', () => {
    const parsed = loadConfig({
      LUNETTE_EXTRA_RECOGNIZERS: ` ${NEW_TAG}=models/x.onnx@0.31,24.5 ; ${OTHER_TAG}=/m/a@b.onnx;`,
    }).extraRecognizers;
    expect(parsed).toEqual([
      {
        version: NEW_TAG,
        path: path.resolve('models/x.onnx'),
        calibration: { centre: 0.31, slope: 24.5 },
      },
      { version: OTHER_TAG, path: '/m/a@b.onnx', calibration: undefined },
    ]);
    expect(loadConfig({}).extraRecognizers).toEqual([]);
  });
});
