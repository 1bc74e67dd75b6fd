/** Public face of the events module: storage, search, statistics and search by face. */

export {
  type EventCandidateEntry,
  type EventCandidateSearch,
  eventCandidateSearch,
} from './event-candidates.ts';
export type { EventMatrixControl, EventMatrixSettings } from './event-descriptor-matrix.ts';
export type {
  EventDescriptorWriter,
  EventLackingVersion,
  LackingQuery,
} from './event-descriptor-writer.ts';
export {
  EVENT_CANDIDATES,
  EVENT_FILTERS,
  EVENT_FILTERS_QUERY,
  EVENT_ID,
  type EventFilters,
  FACE_FILTERS,
  type FaceFilters,
  LABEL,
  LIVENESS_STATES,
  type LivenessState,
  SOURCE,
  TAG,
  TRACK_ID,
} from './event-filters.ts';
export type { EventCandidateQuery, EventMatch, EventMatcher } from './event-matcher.ts';
export {
  type EventDetection,
  type EventRecord,
  type ExifInfo,
  type HeadPose,
  type LabelMatches,
  type LivenessEstimate,
  type MatchCandidate,
  subjectOf,
  topMatchOf,
} from './event-record.ts';
export type { EventRemover, RemovalBatch, RemovalQuery } from './event-remover.ts';
export type { EventService } from './event-service.ts';
export { candidateView, eventCandidateDetails, eventView, rectView } from './event-view.ts';
export type {
  EventBundle,
  EventSaveHook,
  EventWriter,
  OriginToStore,
  SampleToStore,
} from './event-writer.ts';
export { createEventsModule, type EventsDeps, type EventsModule } from './events-module.ts';
export { type FilterReason, type FilterSubject, failedFilters } from './filter-predicate.ts';
export { resolveTimeBound } from './relative-time.ts';
