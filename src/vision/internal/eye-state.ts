/**
 * Eye state with fr_eye: one 24×24 grey patch per eye (luma / 255, NCHW), centred on the eye
 * landmark and turned level with the eye line; two logits, softmax, index 0 = closed, 1 = open.
 */
import type { DecodedImage, Detection, EyeEstimate, EyesEstimate } from '../types.ts';
import { assertLandmarks, assertRgbImage } from './image-checks.ts';
import { eyeDistance, eyeLineRoll } from './math/face-geometry.ts';
import { lumaPlane } from './math/image-stats.ts';
import { softmax } from './math/softmax.ts';
import { type ModelSession, outputData, runModel } from './onnx/onnx-session.ts';
import { sampleTurnedSquare } from './patch-sampler.ts';

/** Side of the eye network input. */
export const EYE_INPUT_SIZE = 24;

/**
 * Side of an eye patch as a multiple of the eye distance: 26 px in the 112×112 alignment
 * template (35 px between the eyes), about 1.6 eye widths as the model's author cut them.
 */
export const EYE_PATCH_PER_EYE_DISTANCE = 0.74;

/** Open-probability at and above which an eye is `open`. */
export const EYE_OPEN_THRESHOLD = 0.5;

const OPEN_CLASS = 1;

async function eyeState(
  model: ModelSession,
  image: DecodedImage,
  centre: readonly [number, number],
  geometry: { side: number; angle: number },
): Promise<EyeEstimate> {
  const square = { centreX: centre[0], centreY: centre[1], ...geometry };
  const luma = lumaPlane(sampleTurnedSquare(image, square, EYE_INPUT_SIZE));
  const input = luma.map((v) => v / 255);
  const outputs = await runModel(model, input, [1, 1, EYE_INPUT_SIZE, EYE_INPUT_SIZE]);
  const openProbability = softmax(outputData(outputs, model.outputs[0]!))[OPEN_CLASS]!;
  return { state: openProbability >= EYE_OPEN_THRESHOLD ? 'open' : 'closed', openProbability };
}

/** Open or closed, per eye (the subject's right and left). */
export async function estimateEyes(
  model: ModelSession,
  image: DecodedImage,
  detection: Detection,
): Promise<EyesEstimate> {
  assertRgbImage(image);
  assertLandmarks(detection);
  const points = detection.landmarks5;
  const geometry = {
    side: EYE_PATCH_PER_EYE_DISTANCE * eyeDistance(points),
    angle: (eyeLineRoll(points) * Math.PI) / 180,
  };
  const right = await eyeState(model, image, points[0]!, geometry);
  const left = await eyeState(model, image, points[1]!, geometry);
  return { right, left };
}
