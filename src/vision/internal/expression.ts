/**
 * Facial expression with fr_expression: the face box scaled 1.2× around its centre, resized to
 * 224×224 RGB scaled to 0–1, NCHW; seven logits, softmax. The class order is the FER-2013 one;
 * checked on LFW photos, where class 3 picked the smiles, 6 the straight faces, 0 the shouts.
 */
import { EMOTIONS, type Emotion } from '../emotions.ts';
import type { DecodedImage, Detection, EmotionsEstimate } from '../types.ts';
import { assertRgbImage } from './image-checks.ts';
import { argMax, softmax } from './math/softmax.ts';
import { type PlanarSpec, toPlanar } from './math/tensor-layout.ts';
import { type ModelSession, outputData, runModel } from './onnx/onnx-session.ts';
import { boxCentre, sampleRegion } from './patch-sampler.ts';

/** Side of the expression network input. */
export const EXPRESSION_INPUT_SIZE = 224;

/** Scale of the face box shown to the network. */
export const EXPRESSION_CONTEXT = 1.2;

const INPUT_SPEC: PlanarSpec = {
  order: 'rgb',
  mean: [0, 0, 0],
  scale: [1 / 255, 1 / 255, 1 / 255],
  width: EXPRESSION_INPUT_SIZE,
  height: EXPRESSION_INPUT_SIZE,
};

function faceRegion(detection: Detection) {
  const { rect } = detection;
  const centre = boxCentre(rect);
  const width = rect.width * EXPRESSION_CONTEXT;
  const height = rect.height * EXPRESSION_CONTEXT;
  return { left: centre.x + 0.5 - width / 2, top: centre.y + 0.5 - height / 2, width, height };
}

/** Probability of each emotion and the most probable one. */
export async function estimateEmotions(
  model: ModelSession,
  image: DecodedImage,
  detection: Detection,
): Promise<EmotionsEstimate> {
  assertRgbImage(image);
  const size = EXPRESSION_INPUT_SIZE;
  const input = toPlanar(sampleRegion(image, faceRegion(detection), size, size), INPUT_SPEC);
  const outputs = await runModel(model, input, [1, 3, size, size]);
  const p = softmax(outputData(outputs, model.outputs[0]!));
  const probabilities = Object.fromEntries(EMOTIONS.map((e, i) => [e, p[i]!])) as Record<
    Emotion,
    number
  >;
  return { probabilities, predominant: EMOTIONS[argMax(p)]! };
}
