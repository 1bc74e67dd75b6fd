/** The API (snake_case) shape of a face's estimations. */
import { roundTo } from '../http/index.ts';
import type { FaceEstimations } from './face-estimations.ts';
import type { FaceQualityCheckResult } from './face-quality-checks.ts';

/** `value` rounded to four decimals, as the API reports estimations. */
export function round4(value: number): number {
  return roundTo(value, 4);
}

function roundAll<T extends Record<string, number>>(values: T): T {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round4(v)])) as T;
}

function faceQualityView(results: FaceQualityCheckResult[]) {
  return {
    result: results.every((r) => r.passed) ? 'pass' : 'fail',
    checks: results.map((r) => ({
      check: r.check,
      value: r.value === null ? null : round4(r.value),
      threshold: r.threshold,
      result: r.passed ? 'pass' : 'fail',
    })),
  };
}

/** The liveness part: `{prediction, estimations: {probability}}`, plus `reason` when unknown. */
export function livenessView(liveness: NonNullable<FaceEstimations['liveness']>) {
  return {
    prediction: liveness.prediction,
    estimations: { probability: round4(liveness.probability) },
    ...(liveness.reason ? { reason: liveness.reason } : {}),
  };
}

function eyesView(eyes: NonNullable<FaceEstimations['eyes']>) {
  const eye = (e: typeof eyes.right) => ({
    state: e.state,
    open_probability: round4(e.openProbability),
  });
  return { right: eye(eyes.right), left: eye(eyes.left) };
}

function qualityView(q: NonNullable<FaceEstimations['quality']>) {
  const { faceSize, eyeDistance, ...rest } = q;
  return { ...roundAll(rest), face_size: round4(faceSize), eye_distance: round4(eyeDistance) };
}

/** The estimations of one face as the API returns them; absent parts are left out. */
export function estimationsView(e: FaceEstimations) {
  return {
    face_size: round4(e.faceSize),
    eye_distance: round4(e.eyeDistance),
    ...(e.headPose ? { head_pose: roundAll({ ...e.headPose }) } : {}),
    ...(e.eyes ? { eyes: eyesView(e.eyes) } : {}),
    ...(e.emotions
      ? {
          emotions: {
            predominant_emotion: e.emotions.predominant,
            estimations: roundAll({ ...e.emotions.probabilities }),
          },
        }
      : {}),
    ...(e.quality ? { quality: qualityView(e.quality) } : {}),
    ...(e.liveness ? { liveness: livenessView(e.liveness) } : {}),
    ...(e.faceQuality ? { face_quality: faceQualityView(e.faceQuality) } : {}),
  };
}
