/** Public face of the samples module. */
export { sampleRoutes, sampleView } from './routes.ts';
export {
  createSampleRepository,
  type SampleRow,
  type StoredDetection,
  sampleInsertStatements,
} from './sample-repository.ts';
export {
  createSampleService,
  type DetectOptions,
  type ImageOutcome,
  type MultifacePolicy,
  type SampleService,
} from './sample-service.ts';
export { readStoredCrops } from './stored-crops.ts';
