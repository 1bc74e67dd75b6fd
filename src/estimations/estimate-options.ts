/**
 * Which estimators one request runs: the `estimate_*` query flags shared by `/6/detector`,
 * `/6/sdk` and `/6/liveness`, parsed at the edge into {@link EstimateOptions}.
 */
import * as z from 'zod';
import { FLAG_QUERY } from '../http/index.ts';
import { DEFAULT_LIVENESS_THRESHOLD } from '../vision/index.ts';
import { FACE_QUALITY_CHECK_NAMES, type FaceQualityRequest } from './face-quality-checks.ts';

/** The estimators to run on each face; all off by default. */
export interface EstimateOptions {
  headPose: boolean;
  eyes: boolean;
  emotions: boolean;
  quality: boolean;
  liveness: boolean;
  /** Real-probability from which liveness says `real`. */
  livenessThreshold: number;
  /** Present when the `face_quality` checks run: per-check overrides of the defaults. */
  faceQuality: FaceQualityRequest | undefined;
}

/** Nothing estimated beyond face size and eye distance. */
export const NO_ESTIMATES: EstimateOptions = {
  headPose: false,
  eyes: false,
  emotions: false,
  quality: false,
  liveness: false,
  livenessThreshold: DEFAULT_LIVENESS_THRESHOLD,
  faceQuality: undefined,
};

const THRESHOLD = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((t) => t.min === undefined || t.max === undefined || t.min <= t.max, {
    message: 'min must not exceed max',
  });

const CHECK = z
  .object({ estimate: z.boolean().optional(), threshold: THRESHOLD.optional() })
  .strict();

/** `{check: {estimate, threshold: {min, max}}}` for some of the `face_quality` checks. */
export const FACE_QUALITY_REQUEST = z
  .partialRecord(z.enum(FACE_QUALITY_CHECK_NAMES as [string, ...string[]]), CHECK)
  .transform((v) => v as FaceQualityRequest);

const CHECKS_JSON = z
  .string()
  .max(4096)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    }
  })
  .pipe(FACE_QUALITY_REQUEST);

/** Query fields that pick the estimators; spread into a route's query schema. */
export const ESTIMATE_QUERY_FIELDS = {
  estimate_head_pose: FLAG_QUERY.default(false),
  estimate_eyes: FLAG_QUERY.default(false),
  estimate_emotions: FLAG_QUERY.default(false),
  estimate_quality: FLAG_QUERY.default(false),
  estimate_liveness: FLAG_QUERY.default(false),
  liveness_threshold: z.coerce.number().min(0).max(1).default(DEFAULT_LIVENESS_THRESHOLD),
  estimate_face_quality: FLAG_QUERY.default(false),
  /** JSON overrides of the `face_quality` checks, e.g. `{"head_yaw":{"threshold":{"max":5}}}`. */
  face_quality_checks: CHECKS_JSON.optional(),
};

const ESTIMATE_QUERY = z.object(ESTIMATE_QUERY_FIELDS);

/** The parsed estimator flags of a query. */
export type EstimateQuery = z.infer<typeof ESTIMATE_QUERY>;

/** The options a parsed query asks for. */
export function estimateOptionsFrom(query: EstimateQuery): EstimateOptions {
  return {
    headPose: query.estimate_head_pose,
    eyes: query.estimate_eyes,
    emotions: query.estimate_emotions,
    quality: query.estimate_quality,
    liveness: query.estimate_liveness,
    livenessThreshold: query.liveness_threshold,
    faceQuality: query.estimate_face_quality ? (query.face_quality_checks ?? {}) : undefined,
  };
}
