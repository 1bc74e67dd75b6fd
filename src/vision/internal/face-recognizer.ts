/**
 * Descriptor extraction with fr_feature (MobileFaceNet): 112×112 crop as BGR, (x − 127.5) / 128,
 * NCHW; 512 outputs, L2-normalised. The graph takes one face per run.
 */
import type { FaceCrop } from '../types.ts';
import { assertCrop, CROP_SIZE } from './image-checks.ts';
import { type PlanarSpec, toPlanar } from './math/tensor-layout.ts';
import { l2Normalise } from './math/vector-math.ts';
import { type ModelSession, outputData, runModel } from './onnx/onnx-session.ts';

/** Length of one descriptor. */
export const DESCRIPTOR_LENGTH = 512;

/** Version tag of descriptors made here: model file name and preprocessing revision. */
export const DESCRIPTOR_VERSION = 'fr_feature-1';

const INPUT_SPEC: PlanarSpec = {
  order: 'bgr',
  mean: [127.5, 127.5, 127.5],
  scale: [1 / 128, 1 / 128, 1 / 128],
  width: CROP_SIZE,
  height: CROP_SIZE,
};

/** Extracts the L2-normalised descriptor of one crop. */
export async function extractDescriptor(
  model: ModelSession,
  crop: FaceCrop,
): Promise<Float32Array> {
  assertCrop(crop);
  const outputs = await runModel(model, toPlanar(crop, INPUT_SPEC), [1, 3, CROP_SIZE, CROP_SIZE]);
  const raw = outputData(outputs, model.outputs[0]!);
  if (raw.length !== DESCRIPTOR_LENGTH) {
    throw new RangeError(`recognizer returned ${raw.length} values, not ${DESCRIPTOR_LENGTH}`);
  }
  return l2Normalise(raw);
}
