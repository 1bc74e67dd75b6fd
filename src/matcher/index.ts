/** Public face of the matcher module. */
export {
  type DescriptorExtractor,
  type ExtraRecognizerSpec,
  openExtraExtractor,
  retagged,
} from './descriptor-extractor.ts';
export { Gallery, type GalleryOptions, type SearchOptions } from './gallery.ts';
export type { IndexPrecision } from './index/hnsw.ts';
export type { IndexSettings, IndexStatus } from './index/index-manager.ts';
export { listIndexRoutes } from './index-routes.ts';
export { createListIndexService, type ListIndexService } from './index-service.ts';
export { ListMatrix } from './list-matrix.ts';
export {
  type CandidateSet,
  createMatchService,
  type FaceMatch,
  type MatchOptions,
  type MatchService,
} from './match-service.ts';
export type { StoragePrecision } from './quantize.ts';
export {
  createReferenceResolver,
  type Reference,
  type ReferenceResolver,
} from './reference-resolver.ts';
export { matcherRoutes } from './routes.ts';
export { rankScored, type Scored } from './scored.ts';
export {
  type Calibration,
  calibrationOf,
  cosineToSimilarity,
  DEFAULT_THRESHOLD,
  similarityToCosine,
} from './similarity.ts';
export { createVersionRepository, type VersionRepository } from './version-repository.ts';
export {
  type ServedAtStart,
  type SwitchOutcome,
  servedVersionAtStart,
  type VersionedDescriptor,
  type VersionFollower,
  VersionSwitch,
} from './version-switch.ts';
