/** Public face of the evaluation module: metrics of 1:1 verification on scored pairs. */
export {
  auc,
  fitSlope,
  type ScoredPair,
  tarAt,
  tenFoldAccuracy,
  thresholdAtFar,
} from './verification-metrics.ts';
