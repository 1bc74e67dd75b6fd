/**
 * Head pose with fr_pose (a Hopenet-style network: 66 bins of 3° per angle from −99°). The face
 * is first turned upright by the tilt of its eye line, which the network then only corrects;
 * without that the network follows a rotated face by about two thirds of the angle. Without the
 * model installed, a coarse pose comes from the five landmarks.
 */
import type { DecodedImage, Detection, HeadPose } from '../types.ts';
import { assertLandmarks, assertRgbImage } from './image-checks.ts';
import { eyeLineRoll, landmarkHeadPose } from './math/face-geometry.ts';
import { binExpectation } from './math/softmax.ts';
import { type PlanarSpec, toPlanar } from './math/tensor-layout.ts';
import { type ModelSession, outputData, runModel } from './onnx/onnx-session.ts';
import { boxCentre, sampleTurnedSquare } from './patch-sampler.ts';

/** Side of the pose network input. */
export const POSE_INPUT_SIZE = 224;

/** Side of the square shown to the network, as a multiple of the box's mean side. */
export const POSE_CONTEXT = 1.5;

const BIN_DEGREES = 3;
const FIRST_BIN_DEGREES = -99;

const INPUT_SPEC: PlanarSpec = {
  order: 'rgb',
  mean: [0.485 * 255, 0.456 * 255, 0.406 * 255],
  scale: [1 / (0.229 * 255), 1 / (0.224 * 255), 1 / (0.225 * 255)],
  width: POSE_INPUT_SIZE,
  height: POSE_INPUT_SIZE,
};

function wrapDegrees(angle: number): number {
  const wrapped = ((((angle + 180) % 360) + 360) % 360) - 180;
  return wrapped === -180 ? 180 : wrapped;
}

function uprightPatch(image: DecodedImage, detection: Detection, tilt: number) {
  const { rect } = detection;
  const centre = boxCentre(rect);
  const side = (POSE_CONTEXT * (rect.width + rect.height)) / 2;
  const square = { centreX: centre.x, centreY: centre.y, side, angle: (tilt * Math.PI) / 180 };
  return sampleTurnedSquare(image, square, POSE_INPUT_SIZE);
}

/**
 * Yaw, pitch and roll of one face in degrees. Yaw > 0: the subject turns to their right (the
 * nose points to the image's left); pitch > 0: looks up; roll > 0: the head leans clockwise in
 * the image. `model` undefined: the landmark estimate.
 */
export async function estimateHeadPose(
  model: ModelSession | undefined,
  image: DecodedImage,
  detection: Detection,
): Promise<HeadPose> {
  assertRgbImage(image);
  assertLandmarks(detection);
  if (!model) {
    return landmarkHeadPose(detection.landmarks5);
  }
  const tilt = eyeLineRoll(detection.landmarks5);
  const input = toPlanar(uprightPatch(image, detection, tilt), INPUT_SPEC);
  const size = POSE_INPUT_SIZE;
  const outputs = await runModel(model, input, [1, 3, size, size]);
  const [yaw, pitch, roll] = model.outputs.map((name) =>
    binExpectation(outputData(outputs, name), BIN_DEGREES, FIRST_BIN_DEGREES),
  ) as [number, number, number];
  return { yaw, pitch, roll: wrapDegrees(roll + tilt) };
}
