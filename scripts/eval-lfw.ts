/**
 * `npm run eval:lfw`: the standard LFW 10-fold protocol on ../shared/lfw/pairs.txt through the
 * product's own pipeline (decode → detect → warp → extract). Prints accuracy ± sd, TAR at FAR
 * 1e-2 and 1e-3, AUC, and the fitted similarity calibration; writes reports/eval-lfw.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { dot } from '../src/descriptors/index.ts';
import {
  auc,
  fitSlope,
  type ScoredPair,
  tarAt,
  tenFoldAccuracy,
  thresholdAtFar,
} from '../src/evaluation/index.ts';
import { calibrationOf, cosineToSimilarity } from '../src/matcher/index.ts';
import type { Vision } from '../src/vision/index.ts';
import { readPairs, subjectDescriptor } from './lfw-pairs.ts';
import { scriptVision } from './script-vision.ts';

const LFW_DIR = path.resolve(process.argv[2] ?? '../shared/lfw');
const REPORT = path.resolve('reports/eval-lfw.json');

async function describeAll(vision: Vision, files: string[]) {
  const descriptors = new Map<string, Float32Array | undefined>();
  const started = performance.now();
  for (const [i, file] of files.entries()) {
    descriptors.set(file, await subjectDescriptor(vision, file));
    if ((i + 1) % 500 === 0) {
      const rate = (i + 1) / ((performance.now() - started) / 1000);
      console.log(`  ${i + 1}/${files.length} images (${rate.toFixed(1)}/s)`);
    }
  }
  return descriptors;
}

function fitCalibration(pairs: ScoredPair[]) {
  const centre = thresholdAtFar(pairs, 1e-3);
  return { centre: Number(centre.toFixed(4)), slope: Number(fitSlope(pairs, centre).toFixed(2)) };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const vision = await scriptVision(config);
  const pairs = await readPairs(LFW_DIR);
  const files = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  console.log(`LFW: ${pairs.length} pairs, ${files.length} images, ${LFW_DIR}`);
  const descriptors = await describeAll(vision, files);
  const missing = files.filter((f) => !descriptors.get(f));
  // A pair with an undetected image scores -1 (counted as a miss, as the protocol requires).
  const scored: ScoredPair[] = pairs.map((p) => {
    const a = descriptors.get(p.a);
    const b = descriptors.get(p.b);
    return { fold: p.fold, same: p.same, score: a && b ? dot(a, b) : -1 };
  });
  const accuracy = tenFoldAccuracy(scored);
  const far2 = thresholdAtFar(scored, 1e-2);
  const far3 = thresholdAtFar(scored, 1e-3);
  const fitted = fitCalibration(scored);
  const shipped = calibrationOf(vision.descriptorVersion);
  const report = {
    descriptor_version: vision.descriptorVersion,
    pairs: scored.length,
    images: files.length,
    images_without_face: missing.length,
    accuracy: accuracy.mean,
    accuracy_sd: accuracy.sd,
    fold_accuracy: accuracy.folds,
    auc: auc(scored),
    tar_at_far_1e2: tarAt(scored, far2),
    cosine_at_far_1e2: far2,
    tar_at_far_1e3: tarAt(scored, far3),
    cosine_at_far_1e3: far3,
    fitted_calibration: fitted,
    shipped_calibration: shipped,
    shipped_default_threshold: {
      far:
        scored.filter((p) => !p.same && cosineToSimilarity(p.score, shipped) >= 0.5).length /
        scored.filter((p) => !p.same).length,
      tar:
        scored.filter((p) => p.same && cosineToSimilarity(p.score, shipped) >= 0.5).length /
        scored.filter((p) => p.same).length,
    },
  };
  await mkdir(path.dirname(REPORT), { recursive: true });
  await writeFile(REPORT, `${JSON.stringify(report, null, 2)}\n`);
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  console.log(`accuracy ${pct(accuracy.mean)} ± ${pct(accuracy.sd)}  AUC ${report.auc.toFixed(5)}`);
  console.log(`TAR ${pct(report.tar_at_far_1e2)} at FAR 1e-2 (cosine ${far2.toFixed(4)})`);
  console.log(`TAR ${pct(report.tar_at_far_1e3)} at FAR 1e-3 (cosine ${far3.toFixed(4)})`);
  console.log(`images without a face: ${missing.length}`);
  console.log(`fitted calibration ${JSON.stringify(fitted)}, shipped ${JSON.stringify(shipped)}`);
  console.log(
    `shipped threshold 0.5: FAR ${pct(report.shipped_default_threshold.far)}, TAR ${pct(report.shipped_default_threshold.tar)}`,
  );
  console.log(`report: ${REPORT}`);
  await vision.close();
}

await main();
