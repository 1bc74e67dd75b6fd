/** Public face of the matcher module. */
export { Gallery } from './gallery.ts';
export { ListMatrix, rankScored, type Scored } from './list-matrix.ts';
export {
  type CandidateSet,
  createMatchService,
  type FaceMatch,
  type MatchService,
} from './match-service.ts';
export {
  createReferenceResolver,
  type Reference,
  type ReferenceResolver,
} from './reference-resolver.ts';
export { matcherRoutes } from './routes.ts';
export {
  type Calibration,
  calibrationOf,
  cosineToSimilarity,
  DEFAULT_THRESHOLD,
  similarityToCosine,
} from './similarity.ts';
