/**
 * Turns face-crop statistics into the quality figures the API reports: blur, under- and
 * over-exposure in [0, 1] (0 = none), and one overall score in [0, 1] (1 = best).
 */

/**
 * Laplacian variance (on the 112×112 aligned crop) at which blur reads 0.5. Measured on 100
 * LFW photos: median variance 154 as published, 71 after a Gaussian blur of σ 1, 19 at σ 2,
 * 3 at σ 4; so blur reads about 0.2, 0.36, 0.68 and 0.93.
 */
export const BLUR_HALF_VARIANCE = 40;

/** Eye distance (px in the source image) below which the size factor is 0, and from which 1. */
export const EYE_DISTANCE_RAMP = { zero: 10, full: 40 } as const;

/** Blur in [0, 1] from the Laplacian variance: K / (K + variance). */
export function blurFromVariance(variance: number): number {
  return BLUR_HALF_VARIANCE / (BLUR_HALF_VARIANCE + Math.max(0, variance));
}

/** Size factor in [0, 1]: a linear ramp of the eye distance between the two ramp points. */
export function sizeFactor(eyeDistancePx: number): number {
  const { zero, full } = EYE_DISTANCE_RAMP;
  return Math.min(1, Math.max(0, (eyeDistancePx - zero) / (full - zero)));
}

/** The figures the overall score is made of. */
export interface QualityParts {
  blur: number;
  underexposure: number;
  overexposure: number;
  eyeDistance: number;
}

/**
 * Overall quality in [0, 1]: size factor × (1 − blur) × (1 − the worse exposure fault). Each
 * fault alone can pull the score to 0; a sharp, well-lit face with 40 px between the eyes
 * scores about 0.8 (LFW median).
 */
export function overallQuality(parts: QualityParts): number {
  const exposure = 1 - Math.max(parts.underexposure, parts.overexposure);
  return sizeFactor(parts.eyeDistance) * (1 - parts.blur) * Math.max(0, exposure);
}
