/**
 * Calibration from cosine to similarity in [0, 1], per descriptor version: a logistic curve
 * 1 / (1 + exp(-slope × (cosine − centre))). It is monotone, and `centre` is the cosine at
 * which different-person LFW pairs pass at FAR ≈ 1e-3, so similarity 0.5 is the default
 * threshold. The constants come from `npm run eval:lfw` (README "Similarity").
 */

/** Logistic calibration constants of one descriptor version. */
export interface Calibration {
  centre: number;
  slope: number;
}

/** Similarity at which two faces are taken to be the same person unless told otherwise. */
export const DEFAULT_THRESHOLD = 0.5;

const CALIBRATIONS: Record<string, Calibration> = {
  // LFW 6,000 pairs: cosine 0.3075 passes 3 of 3,000 different-person pairs (FAR 1e-3).
  'fr_feature-1': { centre: 0.3075, slope: 24.71 },
};

/** The calibration of `version`; throws for a version this build does not know. */
export function calibrationOf(version: string): Calibration {
  const found = CALIBRATIONS[version];
  if (!found) {
    throw new Error(`no similarity calibration for descriptor version ${version}`);
  }
  return found;
}

/** Maps a cosine in [-1, 1] to a similarity in [0, 1] with `calibration`. */
export function cosineToSimilarity(cosine: number, calibration: Calibration): number {
  return 1 / (1 + Math.exp(-calibration.slope * (cosine - calibration.centre)));
}

/** The cosine whose similarity is `similarity` (inverse of `cosineToSimilarity`). */
export function similarityToCosine(similarity: number, calibration: Calibration): number {
  const s = Math.min(Math.max(similarity, 1e-15), 1 - 1e-15);
  return calibration.centre - Math.log(1 / s - 1) / calibration.slope;
}
