/**
 * A second recognizer named by configuration (`LUNETTE_EXTRA_RECOGNIZER`): here the shipped
 * model file under a new tag. Faces enrolled through the API get its descriptors from their
 * stored samples, matching switches to it, and the right person stays on top. A clashing tag,
 * a malformed value and a missing file each stop start-up with the key named.
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
const RECOGNIZER_FILE = path.join(MODELS_DIR, 'fr_feature.onnx');

let box: TestAppliance;
let api: ApiClient;

beforeAll(async () => {
  box = await startTestAppliance({ LUNETTE_EXTRA_RECOGNIZER: `${NEW_TAG}=${RECOGNIZER_FILE}` });
  api = apiClient(box.app, box.adminAuth);
});

afterAll(async () => {
  await box?.dispose();
});

describe('a configured second recognizer', () => {
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
    const config = testConfig(dataDir, { LUNETTE_EXTRA_RECOGNIZER: value });
    const logger = createLogger({ module: 'test' });
    return createAppliance({ config, vision: await testVision(), logger });
  }

  it('refuses the shipped version tag', async () => {
    await expect(startWith(`fr_feature-1=${RECOGNIZER_FILE}`)).rejects.toThrow(
      /LUNETTE_EXTRA_RECOGNIZER: version fr_feature-1 is the shipped recognizer's own/,
    );
  });

  it('names the missing model file', async () => {
    await expect(startWith(`${NEW_TAG}=${path.join(dataDir, 'none.onnx')}`)).rejects.toThrow(
      /extra recognizer model not loaded from .*none\.onnx/,
    );
  });

  it('names the key of a malformed value or calibration', () => {
    expect(() => loadConfig({ LUNETTE_EXTRA_RECOGNIZER: 'no-equals-sign' })).toThrow(
      /LUNETTE_EXTRA_RECOGNIZER: must be <version tag>=<path to \.onnx file>/,
    );
    expect(() =>
      loadConfig({
        LUNETTE_EXTRA_RECOGNIZER: `${NEW_TAG}=${RECOGNIZER_FILE}`,
        LUNETTE_EXTRA_RECOGNIZER_CALIBRATION: '0.3,-2',
      }),
    ).toThrow(/LUNETTE_EXTRA_RECOGNIZER_CALIBRATION/);
    const parsed = loadConfig({
      LUNETTE_EXTRA_RECOGNIZER: `${NEW_TAG}=models/x.onnx`,
      LUNETTE_EXTRA_RECOGNIZER_CALIBRATION: '0.31,24.5',
    }).extraRecognizer;
    expect(parsed).toEqual({
      version: NEW_TAG,
      path: path.resolve('models/x.onnx'),
      calibration: { centre: 0.31, slope: 24.5 },
    });
  });
});
