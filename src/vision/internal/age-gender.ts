/**
 * Age and gender with the SSR-Net pair (fr_age, fr_gender): a zoomed-out view of the aligned
 * crop resized to 64×64, BGR scaled to 0–1 then ImageNet mean/std, NCHW; stages merged by SSR.
 */
import type { BasicAttributes, FaceCrop } from '../types.ts';
import { assertCrop } from './image-checks.ts';
import { warpAffine } from './math/affine-warp.ts';
import type { Affine } from './math/similarity-transform.ts';
import { mergeSsrStages, type SsrStage } from './math/ssr-merge.ts';
import { type PlanarSpec, toPlanar } from './math/tensor-layout.ts';
import { type ModelSession, outputData, runModel } from './onnx/onnx-session.ts';

/** Side of the SSR-Net input. */
export const SSR_INPUT_SIZE = 64;

/**
 * Side of the square, centred on the 112×112 crop, that is resized to the network input; the
 * ring outside the crop reads black. Chosen on 305 LFW photos of 43 well-known people: 150 px
 * gave 88 % gender accuracy and 10 years age error, the bare crop 82 % and 14, and the
 * package author's detector box × 1.4 in RGB 61 % and 14. BGR beat RGB at every size.
 */
export const SSR_VIEW_SIDE = 150;

const AGE_RANGE = 101;
const GENDER_RANGE = 1;
const STAGES = [1, 2, 3] as const;

const INPUT_SPEC: PlanarSpec = {
  order: 'bgr',
  mean: [0.485 * 255, 0.456 * 255, 0.406 * 255],
  scale: [1 / (0.229 * 255), 1 / (0.224 * 255), 1 / (0.225 * 255)],
  width: SSR_INPUT_SIZE,
  height: SSR_INPUT_SIZE,
};

/** The two SSR-Net sessions. */
export interface AgeGenderModels {
  age: ModelSession;
  gender: ModelSession;
}

/**
 * Resamples a square region of the crop (left, top, side in crop pixels) to 64×64, bilinear
 * with pixel centres aligned, as a plain resize would.
 */
export function resizeRegion(crop: FaceCrop, left: number, top: number, side: number): FaceCrop {
  const s = side / SSR_INPUT_SIZE;
  const toSource: Affine = [s, 0, left + 0.5 * s - 0.5, 0, s, top + 0.5 * s - 0.5];
  const src = { width: crop.width, height: crop.height, channels: 3, data: crop.data };
  const data = warpAffine(src, toSource, SSR_INPUT_SIZE, SSR_INPUT_SIZE);
  return { width: SSR_INPUT_SIZE, height: SSR_INPUT_SIZE, data };
}

async function runSsr(model: ModelSession, input: Float32Array, range: number): Promise<number> {
  const outputs = await runModel(model, input, [1, 3, SSR_INPUT_SIZE, SSR_INPUT_SIZE]);
  const stages: SsrStage[] = STAGES.map((k) => ({
    probabilities: outputData(outputs, `prob_stage_${k}`),
    indexOffsets: outputData(outputs, `index_offset_stage${k}`),
    widthDelta: outputData(outputs, `stage${k}_delta_k`)[0]!,
  }));
  return mergeSsrStages(stages, range);
}

/** Estimates age (years) and gender (0 female … 1 male) of one aligned crop. */
export async function estimateAgeGender(
  models: AgeGenderModels,
  crop: FaceCrop,
): Promise<BasicAttributes> {
  assertCrop(crop);
  const offset = (crop.width - SSR_VIEW_SIDE) / 2;
  const input = toPlanar(resizeRegion(crop, offset, offset, SSR_VIEW_SIDE), INPUT_SPEC);
  const age = await runSsr(models.age, input, AGE_RANGE);
  const gender = await runSsr(models.gender, input, GENDER_RANGE);
  return { age, gender: Math.min(1, Math.max(0, gender)) };
}
