/**
 * Image quality of one face, measured on its aligned 112×112 crop (so every face is judged at
 * the same scale): blur from the Laplacian variance, under- and over-exposure from the shares
 * of nearly black and blown-out pixels, plus face size and eye distance in source pixels.
 */
import type { DecodedImage, Detection, FaceQuality } from '../types.ts';
import { warpFace } from './face-warp.ts';
import { eyeDistance } from './math/face-geometry.ts';
import { exposureStats, laplacianVariance, lumaPlane } from './math/image-stats.ts';
import { blurFromVariance, overallQuality } from './math/quality-score.ts';

/** Eyes, nose, mouth and cheeks of the aligned crop, with little background. */
export const FACE_WINDOW = { x0: 24, y0: 32, x1: 88, y1: 104 } as const;

/** Luma at or below which a pixel counts as nearly black, at or above which as blown out. */
export const EXPOSURE_LIMITS = { dark: 40, bright: 235 } as const;

/** Blur, exposure, size and the overall score of one face. */
export function estimateFaceQuality(image: DecodedImage, detection: Detection): FaceQuality {
  const crop = warpFace(image, detection);
  const luma = lumaPlane(crop);
  const exposure = exposureStats(luma, crop.width, FACE_WINDOW, EXPOSURE_LIMITS);
  const parts = {
    blur: blurFromVariance(laplacianVariance(luma, crop.width, FACE_WINDOW)),
    underexposure: exposure.darkShare,
    overexposure: exposure.brightShare,
    eyeDistance: eyeDistance(detection.landmarks5),
  };
  const { rect } = detection;
  return {
    ...parts,
    faceSize: Math.min(rect.width, rect.height),
    score: overallQuality(parts),
  };
}
