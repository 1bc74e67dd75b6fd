/**
 * `npm run bench:estimators`: the median time of each face estimator (liveness with its head
 * pose, head pose, eyes, emotions, quality, and all `face_quality` checks) on one detected face,
 * in-process with one inference thread, for a 250×250 LFW photo and a 480×640 phone photo.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createFaceEstimator, NO_ESTIMATES } from '../src/estimations/index.ts';
import type { Vision } from '../src/vision/index.ts';
import { timeMedian } from './bench-support.ts';
import { scriptVision } from './script-vision.ts';

const SHARED = path.resolve('../shared');
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const PHOTOS = {
  'lfw 250×250': path.join(SHARED, 'lfw/images/Colin_Powell/Colin_Powell_0040.jpg'),
  'phone 480×640': path.join(SHARED, 'liveness-samples/image_T1.jpg'),
};

async function estimatorTimes(vision: Vision, bytes: Buffer) {
  const image = await vision.decode(bytes);
  const [face] = await vision.detect(image);
  if (!face) {
    throw new Error('bench photo has no face');
  }
  const estimator = createFaceEstimator(vision);
  const checks = { ...NO_ESTIMATES, faceQuality: {} };
  // A fresh detection object per run: vision remembers the head pose of a detection.
  const fresh = () => ({ ...face });
  return {
    detect: await timeMedian(() => vision.detect(image), RUNS),
    liveness: await timeMedian(() => vision.estimateLiveness(image, fresh()), RUNS),
    head_pose: await timeMedian(() => vision.estimateHeadPose(image, fresh()), RUNS),
    eyes: await timeMedian(() => vision.estimateEyes(image, face), RUNS),
    emotions: await timeMedian(() => vision.estimateEmotions(image, face), RUNS),
    quality: await timeMedian(() => vision.estimateQuality(image, face), RUNS),
    face_quality: await timeMedian(() => estimator.estimate(image, fresh(), checks), RUNS),
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const vision = await scriptVision(config, 1);
  console.log(`median of ${RUNS} runs, ms per face; one inference thread\n`);
  const rows: Record<string, Record<string, number>> = {};
  for (const [name, file] of Object.entries(PHOTOS)) {
    rows[name] = await estimatorTimes(vision, await readFile(file));
  }
  await vision.close();
  const names = Object.keys(PHOTOS);
  console.log(`${'estimator'.padEnd(14)}${names.map((n) => n.padStart(16)).join('')}`);
  for (const stage of Object.keys(rows[names[0]!]!)) {
    const cells = names.map((n) => rows[n]![stage]!.toFixed(1).padStart(16)).join('');
    console.log(`${stage.padEnd(14)}${cells}`);
  }
}

await main();
