/** Public face of the handlers module: stored policy pipelines and event generation. */
export { type DetectionFacts, detectionReasons, splitMultiface } from './detect-filter.ts';
export { readEventInput, sniffContentType } from './event-input.ts';
export {
  capabilitiesOf,
  createFacePipeline,
  type FaceOutcome,
  type FacePipeline,
  type FilteredFace,
  type ImageInput,
  type ImageReport,
  type PipelineVision,
  type PolicyEstimators,
} from './face-pipeline.ts';
export { filteredView, generationView, handlerView } from './handler-routes.ts';
export type { Actor, HandlerService } from './handler-service.ts';
export { createHandlersModule, type HandlersDeps, type HandlersModule } from './handlers-module.ts';
export { type Capabilities, capabilityIssues, policyRuleIssues } from './policy-rules.ts';
export {
  DETECT_POLICY,
  type DetectPolicy,
  EXTRACT_POLICY,
  FLAG,
  POLICIES,
  type Policies,
} from './policy-schema.ts';
