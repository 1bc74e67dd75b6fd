/**
 * What was estimated for one face: always its size and eye distance (read off the detection),
 * plus each estimator the request asked for. Stored with samples as JSON, so the enrolment gate
 * can judge them when a face is created.
 */
import type {
  EmotionsEstimate,
  EyesEstimate,
  FaceQuality,
  HeadPose,
  LivenessEstimate,
} from '../vision/index.ts';
import type { FaceQualityCheckResult } from './face-quality-checks.ts';

/** The estimations of one face; absent fields were not asked for. */
export interface FaceEstimations {
  /** Shorter side of the face box, in source pixels. */
  faceSize: number;
  /** Distance between the eye centres, in source pixels. */
  eyeDistance: number;
  headPose?: HeadPose;
  eyes?: EyesEstimate;
  emotions?: EmotionsEstimate;
  quality?: FaceQuality;
  liveness?: LivenessEstimate;
  faceQuality?: FaceQualityCheckResult[];
}
