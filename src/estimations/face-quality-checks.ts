/**
 * `face_quality` checks in the manner of a portrait standard: each check reads one estimated
 * value and passes when it lies within its `{min, max}` threshold. Defaults apply to checks
 * the request does not mention; a check with `estimate: false` is skipped. Pure.
 */
import type { FaceEstimations } from './face-estimations.ts';

/** Which estimator a check reads. */
export type CheckSource = 'detection' | 'headPose' | 'quality' | 'eyes' | 'emotions';

interface CheckDef {
  source: CheckSource;
  read: (e: FaceEstimations) => number | undefined;
  threshold: { min?: number; max?: number };
}

/**
 * The checks and their default thresholds: pose within ±10°, the eyes at least 90 px apart
 * and each at least half likely open, a sharp, evenly lit face, a mostly neutral expression.
 */
export const FACE_QUALITY_CHECKS = {
  head_yaw: { source: 'headPose', read: (e) => e.headPose?.yaw, threshold: { min: -10, max: 10 } },
  head_pitch: {
    source: 'headPose',
    read: (e) => e.headPose?.pitch,
    threshold: { min: -10, max: 10 },
  },
  head_roll: {
    source: 'headPose',
    read: (e) => e.headPose?.roll,
    threshold: { min: -10, max: 10 },
  },
  eye_distance: { source: 'detection', read: (e) => e.eyeDistance, threshold: { min: 90 } },
  face_size: { source: 'detection', read: (e) => e.faceSize, threshold: { min: 180 } },
  blur: { source: 'quality', read: (e) => e.quality?.blur, threshold: { max: 0.5 } },
  underexposure: {
    source: 'quality',
    read: (e) => e.quality?.underexposure,
    threshold: { max: 0.1 },
  },
  overexposure: {
    source: 'quality',
    read: (e) => e.quality?.overexposure,
    threshold: { max: 0.05 },
  },
  quality_score: { source: 'quality', read: (e) => e.quality?.score, threshold: { min: 0.5 } },
  right_eye_open: {
    source: 'eyes',
    read: (e) => e.eyes?.right.openProbability,
    threshold: { min: 0.5 },
  },
  left_eye_open: {
    source: 'eyes',
    read: (e) => e.eyes?.left.openProbability,
    threshold: { min: 0.5 },
  },
  neutral_expression: {
    source: 'emotions',
    read: (e) => e.emotions?.probabilities.neutral,
    threshold: { min: 0.5 },
  },
} as const satisfies Record<string, CheckDef>;

/** Name of one check. */
export type FaceQualityCheckName = keyof typeof FACE_QUALITY_CHECKS;

/** All check names, in report order. */
export const FACE_QUALITY_CHECK_NAMES = Object.keys(FACE_QUALITY_CHECKS) as FaceQualityCheckName[];

/** What a request says about one check. */
export interface CheckRequest {
  estimate?: boolean;
  threshold?: { min?: number; max?: number };
}

/** What a request says about the checks, by name; unnamed checks run with their defaults. */
export type FaceQualityRequest = Partial<Record<FaceQualityCheckName, CheckRequest>>;

/** The outcome of one check. */
export interface FaceQualityCheckResult {
  check: FaceQualityCheckName;
  /** The estimated value, or null when it could not be estimated (the check then fails). */
  value: number | null;
  threshold: { min?: number; max?: number };
  passed: boolean;
}

/** The checks `request` keeps, each with its threshold (request overrides default per bound). */
export function plannedChecks(request: FaceQualityRequest = {}) {
  return FACE_QUALITY_CHECK_NAMES.filter((name) => request[name]?.estimate !== false).map(
    (name) => ({
      name,
      source: FACE_QUALITY_CHECKS[name].source as CheckSource,
      threshold: { ...FACE_QUALITY_CHECKS[name].threshold, ...request[name]?.threshold },
    }),
  );
}

/** True when `value` lies within `threshold` (bounds inclusive). */
export function withinThreshold(value: number, threshold: { min?: number; max?: number }) {
  return (
    (threshold.min === undefined || value >= threshold.min) &&
    (threshold.max === undefined || value <= threshold.max)
  );
}

/** Runs the checks `request` keeps on `estimations`. */
export function runFaceQualityChecks(
  estimations: FaceEstimations,
  request?: FaceQualityRequest,
): FaceQualityCheckResult[] {
  return plannedChecks(request).map(({ name, threshold }) => {
    const value = FACE_QUALITY_CHECKS[name].read(estimations) ?? null;
    const passed = value !== null && withinThreshold(value, threshold);
    return { check: name, value, threshold, passed };
  });
}
