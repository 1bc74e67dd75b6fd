/**
 * `npm run eval:liveness`: how the liveness pair judges real faces and the sample attacks.
 * Every LFW person's first photo (press photos of real people, so every face is live) goes
 * through decode → detect → liveness on the subject face; the three ../shared/liveness-samples
 * photos show where the attacks score. Prints the share called real, the spoof and unknown
 * counts with reasons, the real-probability quantiles, and the threshold a 95 % real-rate would
 * need next to what the attacks score; writes reports/eval-liveness.json.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { DEFAULT_LIVENESS_THRESHOLD, type Vision } from '../src/vision/index.ts';
import { subjectOf } from './lfw-pairs.ts';
import { scriptVision } from './script-vision.ts';

const SHARED = path.resolve(process.argv[2] ?? '../shared');
const REPORT = path.resolve('reports/eval-liveness.json');
const SAMPLES = ['image_F1', 'image_F2', 'image_T1'];
const QUANTILES = [0.01, 0.05, 0.1, 0.25, 0.5];
const AIMED_REAL_RATE = 0.95;

interface Judged {
  file: string;
  prediction: string;
  probability: number;
  reason?: string;
}

async function judge(vision: Vision, file: string): Promise<Judged> {
  const found = await subjectOf(vision, file);
  if (!found) {
    return { file, prediction: 'no_face', probability: Number.NaN };
  }
  const estimate = await vision.estimateLiveness(found.image, found.subject);
  return { file, ...estimate };
}

async function firstPhotos(lfwImages: string): Promise<string[]> {
  const people = (await readdir(lfwImages)).sort();
  return Promise.all(
    people.map(async (person) => {
      const files = (await readdir(path.join(lfwImages, person))).sort();
      return path.join(lfwImages, person, files[0]!);
    }),
  );
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function countBy(items: Judged[], key: (j: Judged) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    out[key(item)] = (out[key(item)] ?? 0) + 1;
  }
  return out;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const vision = await scriptVision(config);
  const files = await firstPhotos(path.join(SHARED, 'lfw', 'images'));
  console.log(`LFW: ${files.length} photos (first photo of each person)`);
  const lfw: Judged[] = [];
  for (const file of files) {
    lfw.push(await judge(vision, file));
    if (lfw.length % 1000 === 0) {
      console.log(`  ${lfw.length}/${files.length}`);
    }
  }
  const samples = await Promise.all(
    SAMPLES.map((name) => judge(vision, path.join(SHARED, 'liveness-samples', `${name}.jpg`))),
  );
  const judgeable = lfw.filter((j) => j.prediction === 'real' || j.prediction === 'spoof');
  const probabilities = judgeable.map((j) => j.probability).sort((a, b) => a - b);
  // The share that must come out real among judged faces for the aimed rate over all photos.
  const neededShare = Math.min(1, (AIMED_REAL_RATE * lfw.length) / judgeable.length);
  const report = {
    photos: lfw.length,
    threshold: DEFAULT_LIVENESS_THRESHOLD,
    real_rate: lfw.filter((j) => j.prediction === 'real').length / lfw.length,
    predictions: countBy(lfw, (j) => j.prediction),
    unknown_reasons: countBy(
      lfw.filter((j) => j.prediction === 'unknown'),
      (j) => j.reason ?? '',
    ),
    real_probability_quantiles: Object.fromEntries(
      QUANTILES.map((q) => [q, Number(quantile(probabilities, q).toFixed(4))]),
    ),
    threshold_for_95_percent_real: Number(quantile(probabilities, 1 - neededShare).toFixed(4)),
    samples: samples.map((s) => ({
      file: path.basename(s.file),
      prediction: s.prediction,
      probability: Number(s.probability.toFixed(4)),
    })),
  };
  await mkdir(path.dirname(REPORT), { recursive: true });
  await writeFile(REPORT, `${JSON.stringify(report, null, 2)}\n`);
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  console.log(`real ${pct(report.real_rate)} at threshold ${report.threshold}`);
  console.log(`predictions ${JSON.stringify(report.predictions)}`);
  console.log(`unknown reasons ${JSON.stringify(report.unknown_reasons)}`);
  console.log(`real-probability quantiles ${JSON.stringify(report.real_probability_quantiles)}`);
  console.log(`threshold a 95 % real-rate would need: ${report.threshold_for_95_percent_real}`);
  for (const s of report.samples) {
    console.log(`  ${s.file}: ${s.prediction} (${s.probability})`);
  }
  console.log(`report: ${REPORT}`);
  await vision.close();
}

await main();
