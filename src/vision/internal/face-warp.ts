/**
 * Face alignment: fits the similarity transform from a detection's five landmarks to the
 * 112×112 ArcFace template and resamples the face bilinearly into that crop.
 */
import type { DecodedImage, Detection, FaceCrop } from '../types.ts';
import { assertLandmarks, assertRgbImage, CROP_SIZE } from './image-checks.ts';
import { warpAffine } from './math/affine-warp.ts';
import { estimateSimilarity, invertAffine, type Point } from './math/similarity-transform.ts';

export { CROP_SIZE };

/**
 * Where the five landmarks sit in the 112×112 crop (pixel centres at integers): right eye,
 * left eye, nose tip, right mouth corner, left mouth corner, the subject's sides.
 */
export const ARCFACE_TEMPLATE: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** Aligns the face of `detection` in `image` to a 112×112 crop of the same RGB layout. */
export function warpFace(image: DecodedImage, detection: Detection): FaceCrop {
  assertRgbImage(image);
  assertLandmarks(detection);
  const toCrop = estimateSimilarity(detection.landmarks5, ARCFACE_TEMPLATE);
  const src = { width: image.width, height: image.height, channels: 3, data: image.data };
  const data = warpAffine(src, invertAffine(toCrop), CROP_SIZE, CROP_SIZE);
  return { width: CROP_SIZE, height: CROP_SIZE, data };
}
