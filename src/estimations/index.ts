/**
 * Public face of the estimations module: the per-face estimators a request asks for, the
 * `face_quality` checks, and the stateless SDK and liveness routes.
 */
export {
  ESTIMATE_QUERY_FIELDS,
  type EstimateOptions,
  type EstimateQuery,
  estimateOptionsFrom,
  FACE_QUALITY_REQUEST,
  NO_ESTIMATES,
} from './estimate-options.ts';
export { estimationsView, livenessView } from './estimation-view.ts';
export type { FaceEstimations } from './face-estimations.ts';
export { createFaceEstimator, type FaceEstimator } from './face-estimator.ts';
export {
  FACE_QUALITY_CHECK_NAMES,
  FACE_QUALITY_CHECKS,
  type FaceQualityCheckName,
  type FaceQualityCheckResult,
  type FaceQualityRequest,
  runFaceQualityChecks,
} from './face-quality-checks.ts';
export { estimationRoutes } from './routes.ts';
export { createSdkService, type EstimateOutcome, type SdkService } from './sdk-service.ts';
