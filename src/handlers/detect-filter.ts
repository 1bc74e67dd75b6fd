/**
 * The detect policy's verdict on detections: score, face size and head-pose limits per face,
 * then the multiface rule among the faces that passed. Pure; every refused face comes back
 * with its reasons, so none is dropped silently.
 */
import type { FilterReason, HeadPose } from '../events/index.ts';
import type { Rect } from '../vision/index.ts';
import type { DetectPolicy } from './policy-schema.ts';

/** What the detect policy judges about one detection. */
export interface DetectionFacts {
  rect: Rect;
  score: number;
  /** Absent when head pose was not (or could not be) estimated. */
  headPose?: HeadPose;
}

type Limits = Pick<
  DetectPolicy,
  'score_threshold' | 'face_size__gte' | 'yaw_threshold' | 'pitch_threshold' | 'roll_threshold'
>;

const ANGLES = [
  ['yaw_threshold', 'yaw'],
  ['pitch_threshold', 'pitch'],
  ['roll_threshold', 'roll'],
] as const;

function angleReasons(facts: DetectionFacts, policy: Limits): FilterReason[] {
  return ANGLES.flatMap(([key, angle]) => {
    const limit = policy[key];
    if (limit === undefined) {
      return [];
    }
    const value = facts.headPose?.[angle];
    return value !== undefined && Math.abs(value) <= limit
      ? []
      : [{ filter: key, value: value ?? null, limit }];
  });
}

/** Why the detect policy refuses one detection; empty when it passes. */
export function detectionReasons(facts: DetectionFacts, policy: Limits): FilterReason[] {
  const reasons: FilterReason[] = [];
  if (facts.score < policy.score_threshold) {
    reasons.push({ filter: 'score_threshold', value: facts.score, limit: policy.score_threshold });
  }
  const side = Math.min(facts.rect.width, facts.rect.height);
  if (policy.face_size__gte !== undefined && side < policy.face_size__gte) {
    reasons.push({ filter: 'face_size__gte', value: side, limit: policy.face_size__gte });
  }
  return [...reasons, ...angleReasons(facts, policy)];
}

/** Faces the multiface rule keeps, and those it refuses with the reason. */
export interface MultifaceSplit<T> {
  kept: T[];
  refused: { item: T; reason: FilterReason }[];
}

function area(rect: Rect): number {
  return rect.width * rect.height;
}

/**
 * Applies `multiface_policy` to the faces of one image that passed the other filters:
 * 0 refuses all when there are several, 1 keeps all, 2 keeps the largest.
 */
export function splitMultiface<T extends { rect: Rect }>(
  items: T[],
  policy: 0 | 1 | 2,
): MultifaceSplit<T> {
  if (policy === 1 || items.length <= 1) {
    return { kept: items, refused: [] };
  }
  const reason = { filter: 'multiface_policy', value: items.length, limit: policy };
  if (policy === 0) {
    return { kept: [], refused: items.map((item) => ({ item, reason })) };
  }
  const largest = items.reduce((a, b) => (area(b.rect) > area(a.rect) ? b : a));
  return {
    kept: [largest],
    refused: items.filter((i) => i !== largest).map((item) => ({ item, reason })),
  };
}
