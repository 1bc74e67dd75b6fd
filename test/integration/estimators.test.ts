/**
 * The face estimators with the real models on LFW photos: head pose under mirroring and
 * rotation, blur under a Gaussian blur, eye state, emotions, and the `/6/sdk` and
 * `/6/detector` routes that run them on request.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedImage, Detection, Vision } from '../../src/vision/index.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance, testVision } from '../helpers/appliance.ts';
import { readLfw } from '../unit/vision/vision-fixtures.ts';

// Photos with a clearly turned head (|yaw| 15–35°) and two frontal ones.
const TURNED: [string, number][] = [
  ['Frank_Pallone', 1],
  ['Ed_Rendell', 1],
  ['Tony_Clement', 1],
  ['Steve_Rush', 1],
  ['Alexander_Downer', 1],
];
const FRONTAL: [string, number][] = [
  ['Gerry_Adams', 1],
  ['John_Manley', 1],
];

let vision: Vision;
let appliance: TestAppliance;
let api: ApiClient;

beforeAll(async () => {
  vision = await testVision();
  appliance = await startTestAppliance();
  api = apiClient(appliance.app, appliance.adminAuth);
});

afterAll(async () => {
  await appliance?.dispose();
});

async function face(bytes: Uint8Array): Promise<{ image: DecodedImage; detection: Detection }> {
  const image = await vision.decode(bytes);
  const [detection] = await vision.detect(image);
  expect(detection).toBeDefined();
  return { image, detection: detection! };
}

async function poseOf(bytes: Uint8Array) {
  const { image, detection } = await face(bytes);
  return vision.estimateHeadPose(image, detection);
}

describe('head pose', () => {
  it.each(TURNED)(
    'yaw of %s_%i flips sign, keeping its size, when the photo is mirrored',
    async (name, n) => {
      const photo = await readLfw(name, n);
      const pose = await poseOf(photo);
      const mirrored = await poseOf(await sharp(photo).flop().toBuffer());
      expect(Math.abs(pose.yaw)).toBeGreaterThan(12);
      expect(Math.sign(mirrored.yaw)).toBe(-Math.sign(pose.yaw));
      expect(Math.abs(mirrored.yaw + pose.yaw)).toBeLessThan(8);
      expect(Math.abs(mirrored.roll + pose.roll)).toBeLessThan(6);
    },
  );

  it.each([
    [20, [...FRONTAL, TURNED[0]!]],
    [-25, [...FRONTAL, TURNED[0]!]],
    [40, FRONTAL],
  ] as const)('roll follows a %i° rotation of the photo', async (degrees, photos) => {
    for (const [name, n] of photos) {
      const photo = await readLfw(name, n);
      const before = await poseOf(photo);
      const rotated = await sharp(photo).rotate(degrees, { background: '#000' }).toBuffer();
      const after = await poseOf(rotated);
      expect(Math.abs(after.roll - before.roll - degrees)).toBeLessThan(4);
      expect(Math.abs(after.yaw - before.yaw)).toBeLessThan(8);
    }
  });

  it('reads a frontal face as about level', async () => {
    const pose = await poseOf(await readLfw('Gerry_Adams', 1));
    expect(Math.abs(pose.yaw)).toBeLessThan(8);
    expect(Math.abs(pose.roll)).toBeLessThan(8);
  });
});

describe('face quality', () => {
  it.each([
    ['George_W_Bush', 7],
    ['Colin_Powell', 40],
    ['Serena_Williams', 1],
  ] as const)('blur of %s_%i rises with a sharp blur, and the score falls', async (name, n) => {
    const photo = await readLfw(name, n);
    const results = [];
    for (const sigma of [0, 1, 2, 4]) {
      const bytes = sigma === 0 ? photo : await sharp(photo).blur(sigma).toBuffer();
      const { image, detection } = await face(bytes);
      results.push(await vision.estimateQuality(image, detection));
    }
    const blurs = results.map((q) => q.blur);
    expect(blurs).toEqual([...blurs].sort((a, b) => a - b));
    expect(blurs[0]).toBeLessThan(0.4);
    expect(blurs[3]).toBeGreaterThan(0.75);
    expect(results[3]!.score).toBeLessThan(results[0]!.score);
  });

  it('reads a darkened face as underexposed and a shrunk one as small', async () => {
    const photo = await readLfw('Colin_Powell', 40);
    const dark = await face(await sharp(photo).linear(0.15, 0).toBuffer());
    const small = await face(await sharp(photo).resize(80).toBuffer());
    const normal = await face(photo);
    const q = await vision.estimateQuality(normal.image, normal.detection);
    const qDark = await vision.estimateQuality(dark.image, dark.detection);
    const qSmall = await vision.estimateQuality(small.image, small.detection);
    expect(qDark.underexposure).toBeGreaterThan(0.5);
    expect(q.underexposure).toBeLessThan(0.1);
    expect(qSmall.eyeDistance).toBeLessThan(q.eyeDistance / 2.5);
    expect(qSmall.score).toBeLessThan(0.3);
    expect(q.score).toBeGreaterThan(0.5);
  });
});

describe('eyes and emotions', () => {
  it.each([
    ['Colin_Powell', 40, 'open'],
    ['George_W_Bush', 7, 'open'],
    ['John_Manley', 1, 'open'],
    ['George_HW_Bush', 1, 'closed'],
    ['Gao_Qiang', 1, 'closed'],
  ])('eyes of %s_%i read %s', async (name, n, state) => {
    const { image, detection } = await face(await readLfw(name, n));
    const eyes = await vision.estimateEyes(image, detection);
    expect([eyes.right.state, eyes.left.state]).toEqual([state, state]);
  });

  it.each([
    ['Dionne_Warwick', 1, 'happiness'],
    ['Mary_Steenburgen', 1, 'happiness'],
    ['Celso_Amorim', 1, 'neutral'],
    ['Chris_Swecker', 1, 'neutral'],
  ])('the predominant emotion of %s_%i is %s', async (name, n, emotion) => {
    const { image, detection } = await face(await readLfw(name, n));
    const emotions = await vision.estimateEmotions(image, detection);
    expect(emotions.predominant).toBe(emotion);
    const total = Object.values(emotions.probabilities).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 5);
  });
});

describe('estimators through the API', () => {
  it('/6/sdk estimates only what is asked', async () => {
    const photo = await readLfw('George_W_Bush', 7);
    const bare = await api.postBytes('/6/sdk', photo);
    expect(bare.status).toBe(200);
    expect(Object.keys(bare.body.images[0].faces[0].estimations).sort()).toEqual([
      'eye_distance',
      'face_size',
    ]);
    const all = await api.postBytes(
      '/6/sdk?estimate_head_pose=1&estimate_eyes=1&estimate_emotions=1&estimate_quality=1&estimate_liveness=1',
      photo,
    );
    const e = all.body.images[0].faces[0].estimations;
    expect(Object.keys(e.head_pose)).toEqual(['yaw', 'pitch', 'roll']);
    expect(e.eyes.right).toMatchObject({ state: 'open' });
    expect(e.emotions.predominant_emotion).toEqual(expect.any(String));
    expect(e.quality.score).toBeGreaterThan(0);
    expect(e.liveness.prediction).toBe('real');
  });

  it('/6/sdk runs face_quality checks with overridden thresholds', async () => {
    const checks = encodeURIComponent(
      JSON.stringify({
        head_yaw: { threshold: { min: -90, max: 90 } },
        neutral_expression: { estimate: false },
      }),
    );
    const res = await api.postBytes(
      `/6/sdk?estimate_face_quality=1&face_quality_checks=${checks}`,
      await readLfw('Colin_Powell', 40),
    );
    const fq = res.body.images[0].faces[0].estimations.face_quality;
    const byName = Object.fromEntries(fq.checks.map((c: { check: string }) => [c.check, c]));
    expect(byName.head_yaw).toMatchObject({ result: 'pass', threshold: { min: -90, max: 90 } });
    expect(byName.eye_distance).toMatchObject({ result: 'fail', threshold: { min: 90 } });
    expect(byName.neutral_expression).toBeUndefined();
    expect(fq.result).toBe('fail');
  });

  it('refuses malformed face_quality_checks with 400', async () => {
    const res = await api.postBytes(
      '/6/sdk?estimate_face_quality=1&face_quality_checks={"nose":{}}',
      await readLfw('Colin_Powell', 40),
    );
    expect(res.status).toBe(400);
  });

  it('/6/detector stores the estimations with each sample and returns them', async () => {
    const res = await api.postBytes(
      '/6/detector?estimate_head_pose=1&estimate_quality=1',
      await readLfw('Colin_Powell', 40),
    );
    expect(res.status).toBe(201);
    const sample = res.body.images[0].detections.samples[0];
    expect(sample.estimations.head_pose.yaw).toEqual(expect.any(Number));
    expect(sample.estimations.quality.score).toBeGreaterThan(0);
    expect(sample.estimations.emotions).toBeUndefined();
  });
});
