/** The domain shape of one event: what a handler produced for one face (or one aggregate). */
import type { BasicAttributes } from '../attributes/index.ts';
import type { Rect } from '../vision/index.ts';
import type { LivenessState } from './event-filters.ts';
import type { FilterSubject } from './filter-predicate.ts';

/** Yaw, pitch and roll of a head, in degrees. */
export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

/** A liveness estimate: the prediction and the probability that the face is real. */
export interface LivenessEstimate {
  prediction: LivenessState;
  probability: number;
}

/** Camera facts read from a photo's EXIF block. */
export interface ExifInfo {
  make?: string;
  model?: string;
  /** As written by the camera: `YYYY:MM:DD HH:MM:SS`, local time of the camera. */
  dateTimeOriginal?: string;
}

/** One face detection that went into an event. */
export interface EventDetection {
  filename: string;
  sampleId: string | null;
  imageOriginId: string | null;
  /** Null for events made from raw descriptors. */
  rect: Rect | null;
  score: number | null;
  headPose?: HeadPose;
  liveness?: LivenessEstimate;
}

/** One matched candidate: a face of a list or a past event. */
export interface MatchCandidate {
  objectType: 'face' | 'event';
  objectId: string;
  similarity: number;
  /** What the API shows of the candidate besides its id. */
  details: Record<string, unknown>;
}

/** The candidates found under one match label, best first. */
export interface LabelMatches {
  label: string;
  candidates: MatchCandidate[];
}

/** The best candidate over every label. */
export type TopMatch = MatchCandidate & { label: string };

/** One event, as stored and as shown. */
export interface EventRecord {
  eventId: string;
  accountId: string;
  createTime: number;
  handlerId: string | undefined;
  source: string | undefined;
  trackId: string | undefined;
  externalId: string | undefined;
  userData: string;
  tags: string[];
  meta: Record<string, unknown> | undefined;
  detections: EventDetection[];
  basicAttributes: BasicAttributes | undefined;
  liveness: LivenessEstimate | undefined;
  descriptor: { version: string; vector: Float32Array } | undefined;
  matches: LabelMatches[];
  topMatch: TopMatch | undefined;
  faceId: string | undefined;
  listIds: string[];
  attributeId: string | undefined;
  exif: ExifInfo | undefined;
}

/** The best candidate of `matches` over every label, or undefined when none matched. */
export function topMatchOf(matches: LabelMatches[]): TopMatch | undefined {
  let best: TopMatch | undefined;
  for (const { label, candidates } of matches) {
    const first = candidates[0];
    if (first && (!best || first.similarity > best.similarity)) {
      best = { ...first, label };
    }
  }
  return best;
}

/** The filter subject of an event (built or stored). */
export function subjectOf(event: EventRecord): FilterSubject {
  const bestByLabel: FilterSubject['bestByLabel'] = {};
  for (const { label, candidates } of event.matches) {
    const first = candidates[0];
    if (first) {
      bestByLabel[label] = { objectId: first.objectId, similarity: first.similarity };
    }
  }
  return {
    eventId: event.eventId,
    handlerId: event.handlerId,
    createTime: event.createTime,
    source: event.source,
    tags: event.tags,
    trackId: event.trackId,
    externalId: event.externalId,
    userData: event.userData,
    age: event.basicAttributes?.age,
    gender: event.basicAttributes?.gender,
    liveness: event.liveness?.prediction,
    bestByLabel,
    topMatch: event.topMatch,
    faceId: event.faceId,
  };
}
