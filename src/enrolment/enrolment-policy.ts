/**
 * A list's enrolment policy and the gate that applies it: the checks a face's samples must pass
 * to enter the list. Pure; a value that was never estimated fails its check with `null`.
 */
import * as z from 'zod';
import type { FaceEstimations } from '../estimations/index.ts';

/** The policy as the API takes it; every limit optional. */
export const ENROLMENT_POLICY = z
  .object({
    /** Lowest overall quality score (`estimate_quality=1` at detection). */
    min_quality: z.number().min(0).max(1).optional(),
    /** Largest |yaw| in degrees (`estimate_head_pose=1`). */
    max_yaw: z.number().min(0).max(180).optional(),
    /** Largest |pitch| in degrees (`estimate_head_pose=1`). */
    max_pitch: z.number().min(0).max(180).optional(),
    /** Smallest distance between the eyes, in source pixels (always known). */
    min_eye_distance: z.number().min(0).optional(),
    /** Every sample must be judged `real` (`estimate_liveness=1`). */
    liveness_required: z.boolean().optional(),
  })
  .strict();

/** A list's enrolment policy. */
export type EnrolmentPolicy = z.infer<typeof ENROLMENT_POLICY>;

/** One check a face failed: its name, the worst value among its samples, and the limit. */
export interface FailedCheck {
  check: keyof EnrolmentPolicy;
  value: number | string | null;
  limit: number | boolean;
  /** Set when the value is null: which detector flag would have estimated it. */
  detail?: string;
}

type Samples = readonly (FaceEstimations | null | undefined)[];

type NumericCheck = 'min_quality' | 'max_yaw' | 'max_pitch' | 'min_eye_distance';

const HINTS = {
  min_quality: 'quality not estimated: detect with estimate_quality=1',
  max_yaw: 'head pose not estimated: detect with estimate_head_pose=1',
  max_pitch: 'head pose not estimated: detect with estimate_head_pose=1',
  min_eye_distance: 'sample has no stored estimations: detect it again',
  liveness_required: 'liveness not estimated: detect with estimate_liveness=1',
} as const;

/** The worst of the samples' values (by `worse`), or null when any sample lacks one. */
function worst<T>(
  samples: Samples,
  read: (e: FaceEstimations) => T | undefined,
  worse: (a: T, b: T) => T,
) {
  const values = samples.map((s) => (s ? read(s) : undefined));
  if (values.length === 0 || values.some((v) => v === undefined)) {
    return null;
  }
  return (values as T[]).reduce(worse);
}

function numericCheck(
  check: NumericCheck,
  limit: number,
  value: number | null,
): FailedCheck | undefined {
  if (value === null) {
    return { check, value, limit, detail: HINTS[check] };
  }
  const passes = check.startsWith('min_') ? value >= limit : value <= limit;
  return passes ? undefined : { check, value, limit };
}

const LIVENESS_ORDER = { spoof: 0, unknown: 1, real: 2 } as const;

function livenessCheck(samples: Samples): FailedCheck | undefined {
  const state = worst(
    samples,
    (e) => e.liveness?.prediction,
    (a, b) => (LIVENESS_ORDER[a] <= LIVENESS_ORDER[b] ? a : b),
  );
  if (state === 'real') {
    return undefined;
  }
  const failed: FailedCheck = { check: 'liveness_required', value: state, limit: true };
  return state === null ? { ...failed, detail: HINTS.liveness_required } : failed;
}

const NUMERIC_CHECKS: readonly [NumericCheck, (e: FaceEstimations) => number | undefined][] = [
  ['min_quality', (e) => e.quality?.score],
  ['max_yaw', (e) => e.headPose && Math.abs(e.headPose.yaw)],
  ['max_pitch', (e) => e.headPose && Math.abs(e.headPose.pitch)],
  ['min_eye_distance', (e) => e.eyeDistance],
];

/** The checks of `policy` that the samples of a face fail; empty when it may enter. */
export function evaluateEnrolment(policy: EnrolmentPolicy, samples: Samples): FailedCheck[] {
  const failed: (FailedCheck | undefined)[] = [];
  for (const [check, read] of NUMERIC_CHECKS) {
    const limit = policy[check];
    if (limit !== undefined) {
      const worse = check.startsWith('min_') ? Math.min : Math.max;
      failed.push(
        numericCheck(
          check,
          limit,
          worst(samples, read, (a, b) => worse(a, b)),
        ),
      );
    }
  }
  if (policy.liveness_required) {
    failed.push(livenessCheck(samples));
  }
  return failed.filter((f): f is FailedCheck => f !== undefined);
}
