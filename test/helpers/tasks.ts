/**
 * Helpers of the task integration tests: LFW people enrolled through the API, an appliance that
 * can be closed and reopened on the same data dir (a restart), waiting for a task, and reading
 * zip results back with the system `unzip`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Hono } from 'hono';
import { expect } from 'vitest';
import { type Appliance, createAppliance } from '../../src/app.ts';
import type { AppEnv } from '../../src/http/index.ts';
import { createLogger, setLogLevel } from '../../src/logger/index.ts';
import { calibrationOf, type DescriptorExtractor } from '../../src/matcher/index.ts';
import type { Vision } from '../../src/vision/index.ts';
import { type ApiClient, apiClient } from './api-client.ts';
import { testConfig, testVision } from './appliance.ts';
import { basicAuth, TEST_ADMIN } from './credentials.ts';
import { LFW_DIR } from './paths.ts';

/** The fields of a task view the tests read (the body is the API's JSON). */
export type TaskView = { status: string; progress: number; attempts: number } & Record<string, any>;

/** One enrolled LFW photo. */
export interface EnrolledFace {
  faceId: string;
  person: string;
  file: string;
}

/** The first `people` LFW people (by name) with at least `perPerson` photos, and those photos. */
export async function lfwPeople(people: number, perPerson: number, skip = 0) {
  const root = path.join(LFW_DIR, 'images');
  const chosen: { person: string; files: string[] }[] = [];
  for (const person of (await readdir(root)).sort()) {
    const files = (await readdir(path.join(root, person))).sort();
    if (files.length >= perPerson) {
      chosen.push({
        person,
        files: files.slice(0, perPerson).map((f) => path.join(root, person, f)),
      });
    }
  }
  return chosen.slice(skip, skip + people);
}

/** The test recognizer under another version tag: same model, so same calibration. */
export function retaggedExtractor(vision: Vision, version: string): DescriptorExtractor {
  return {
    version,
    calibration: calibrationOf(vision.descriptorVersion),
    extract: (crops) => vision.extract(crops),
  };
}

/** Detects the subject of a photo (the face nearest the centre) and returns its sample id. */
export async function detectSubject(api: ApiClient, bytes: Uint8Array): Promise<string> {
  const res = await api.postBytes('/6/detector', bytes);
  expect(res.status).toBe(201);
  const samples = res.body.images[0].detections.samples as {
    sample_id: string;
    detection: { rect: { x: number; y: number; width: number; height: number } };
  }[];
  expect(samples.length).toBeGreaterThan(0);
  const offCentre = (s: (typeof samples)[number]) =>
    Math.hypot(
      s.detection.rect.x + s.detection.rect.width / 2 - 125,
      s.detection.rect.y + s.detection.rect.height / 2 - 125,
    );
  return samples.reduce((a, b) => (offCentre(b) < offCentre(a) ? b : a)).sample_id;
}

/** Enrols one photo as a face labelled with the person's name, in `lists`. */
export async function enrolPhoto(api: ApiClient, file: string, person: string, lists: string[]) {
  const sampleId = await detectSubject(api, await readFile(file));
  const attribute = await api.postJson('/6/extractor', { samples: [sampleId] });
  expect(attribute.status).toBe(201);
  const face = await api.postJson('/6/faces', {
    attribute_id: attribute.body[0].attribute_id,
    external_id: person,
    user_data: path.basename(file),
    lists,
  });
  expect(face.status).toBe(201);
  return face.body.face_id as string;
}

/** Enrols every photo of `people` into `listId`. */
export async function enrolPeople(
  api: ApiClient,
  people: { person: string; files: string[] }[],
  listId: string,
): Promise<EnrolledFace[]> {
  const faces: EnrolledFace[] = [];
  for (const { person, files } of people) {
    for (const file of files) {
      faces.push({ faceId: await enrolPhoto(api, file, person, [listId]), person, file });
    }
  }
  return faces;
}

/** Polls a task until `done` says so (default: it left pending and running). */
export async function waitForTask(
  api: ApiClient,
  taskId: string,
  done: (task: TaskView) => boolean = (t) => !['pending', 'running'].includes(t.status),
  timeoutMs = 90_000,
) {
  const started = Date.now();
  for (;;) {
    const res = await api.get(`/6/tasks/${taskId}`);
    expect(res.status).toBe(200);
    if (done(res.body)) {
      return res.body;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`task ${taskId} still ${res.body.status} after ${timeoutMs} ms`);
    }
    await Bun.sleep(20);
  }
}

/** Creates a task and waits until it is finished; returns the task view. */
export async function runTask(api: ApiClient, kind: string, body: unknown) {
  const created = await api.postJson(`/6/tasks/${kind}`, body);
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  return waitForTask(api, created.body.task_id);
}

/** Downloads a task's result as bytes with its headers. */
export async function resultOf(api: ApiClient, taskId: string) {
  const res = await api.raw(`/6/tasks/${taskId}/result`, {});
  expect(res.status).toBe(200);
  return { headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Lists a zip's entry names and reads entries with the system `unzip`. */
export async function unzipped(bytes: Uint8Array) {
  const dir = await mkdtemp(path.join(tmpdir(), 'lunette-zip-'));
  const file = path.join(dir, 'result.zip');
  await writeFile(file, bytes);
  const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' });
  const read = (name: string) => execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' });
  const names = listing.trim().split('\n');
  const texts = new Map(names.filter((n) => !n.endsWith('.jpg')).map((n) => [n, read(n)]));
  await rm(dir, { recursive: true, force: true });
  return { names, texts };
}

/** An appliance on a data dir that outlives it, so a test can restart the box. */
export interface RestartableAppliance {
  dataDir: string;
  current: Appliance & { api: ApiClient; app: Hono<AppEnv> };
  /** Closes the running appliance (a running task stays `running`, as after a kill). */
  stop(): Promise<void>;
  /** Opens the appliance again on the same data dir. */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

/** Starts an appliance with extra environment values and extra descriptor extractors. */
export async function startRestartable(
  env: Record<string, string> = {},
  extraExtractors: DescriptorExtractor[] = [],
): Promise<RestartableAppliance> {
  setLogLevel('error');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lunette-tasks-'));
  const open = async () => {
    const config = testConfig(dataDir, { MQTT_LISTEN: 'off', ...env });
    const vision = await testVision();
    const appliance = await createAppliance({
      config,
      vision,
      logger: createLogger({ module: 'test' }),
      extraExtractors,
    });
    return {
      ...appliance,
      api: apiClient(appliance.app, basicAuth(TEST_ADMIN.login, TEST_ADMIN.password)),
    };
  };
  const box: RestartableAppliance = {
    dataDir,
    current: await open(),
    stop: () => box.current.close(),
    restart: async () => {
      box.current = await open();
    },
    dispose: async () => {
      await box.current.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return box;
}
