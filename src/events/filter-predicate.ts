/**
 * Filters evaluated in memory against one subject: a face outcome while its event is built
 * (storage policies, conditional tags) or a stored event (callbacks later). Every failed
 * filter is returned as a reason, so nothing is ever refused without saying why. filter-sql.ts
 * is the libSQL twin of this module; the two agree field by field.
 */
import type { EventFilters, LivenessState } from './event-filters.ts';
import { resolveTimeBound } from './relative-time.ts';

/** Why a filter refused a subject: which filter, the subject's value and the filter's limit. */
export interface FilterReason {
  filter: string;
  value: unknown;
  limit: unknown;
}

/** The best candidate under one match label. */
export interface LabelBest {
  objectId: string;
  similarity: number;
}

/** What filters are checked against. Absent values fail every filter that names them. */
export interface FilterSubject {
  eventId?: string;
  handlerId?: string;
  createTime: number;
  source?: string;
  tags: string[];
  trackId?: string;
  externalId?: string;
  userData: string;
  age?: number;
  /** Gender score in [0, 1]; the class is 1 (male) from 0.5 up. */
  gender?: number;
  liveness?: LivenessState;
  /** Best candidate per match label; a label without one counts as similarity 0. */
  bestByLabel: Record<string, LabelBest>;
  topMatch?: LabelBest & { label: string };
  faceId?: string;
}

type Check = (f: EventFilters, s: FilterSubject, now: number) => FilterReason[];

function bound(
  filter: string,
  value: number | string | undefined,
  limit: number | string | undefined,
  holds: (value: number | string, limit: number | string) => boolean,
): FilterReason[] {
  if (limit === undefined) {
    return [];
  }
  return value !== undefined && holds(value, limit)
    ? []
    : [{ filter, value: value ?? null, limit }];
}

const atLeast = (v: number | string, l: number | string) => v >= l;
const below = (v: number | string, l: number | string) => v < l;

function oneOf(filter: string, value: string | undefined, allowed: readonly string[] | undefined) {
  if (!allowed) {
    return [];
  }
  return value !== undefined && allowed.includes(value)
    ? []
    : [{ filter, value: value ?? null, limit: allowed }];
}

function genderClass(score: number | undefined): 0 | 1 | undefined {
  return score === undefined ? undefined : score >= 0.5 ? 1 : 0;
}

const checkGender: Check = (f, s) => {
  const value = genderClass(s.gender);
  return f.gender === undefined || value === f.gender
    ? []
    : [{ filter: 'gender', value: value ?? null, limit: f.gender }];
};

const checkMatch: Check = (f, s) =>
  (f.match ?? []).flatMap((m) => {
    const similarity = s.bestByLabel[m.label]?.similarity ?? 0;
    const name = `match.${m.label}.similarity`;
    return [
      ...bound(`${name}__gte`, similarity, m.similarity__gte, atLeast),
      ...bound(`${name}__lt`, similarity, m.similarity__lt, below),
    ];
  });

const checkTime: Check = (f, s, now) => [
  ...bound('create_time__gte', s.createTime, timeOf(f.create_time__gte, now), atLeast),
  ...bound('create_time__lt', s.createTime, timeOf(f.create_time__lt, now), below),
];

const checkTags: Check = (f, s) =>
  !f.tags || f.tags.some((t) => s.tags.includes(t))
    ? []
    : [{ filter: 'tags', value: s.tags, limit: f.tags }];

const checkUserData: Check = (f, s) =>
  f.user_data === undefined || s.userData.includes(f.user_data)
    ? []
    : [{ filter: 'user_data', value: s.userData, limit: f.user_data }];

const checkTop: Check = (f, s) => [
  ...oneOf('top_matching_candidates_label', s.topMatch?.label, labelList(f)),
  ...oneOf('top_similar_object_ids', s.topMatch?.objectId, f.top_similar_object_ids),
  ...bound(
    'top_similar_object_similarity__gte',
    s.topMatch?.similarity,
    f.top_similar_object_similarity__gte,
    atLeast,
  ),
  ...bound(
    'top_similar_object_similarity__lt',
    s.topMatch?.similarity,
    f.top_similar_object_similarity__lt,
    below,
  ),
];

function labelList(f: EventFilters): string[] | undefined {
  return f.top_matching_candidates_label === undefined
    ? undefined
    : [f.top_matching_candidates_label];
}

function timeOf(text: string | undefined, now: number): number | undefined {
  return text === undefined ? undefined : resolveTimeBound(text, now);
}

const CHECKS: Check[] = [
  (f, s) => bound('age__gte', s.age, f.age__gte, atLeast),
  (f, s) => bound('age__lt', s.age, f.age__lt, below),
  checkGender,
  (f, s) => oneOf('liveness', s.liveness, f.liveness),
  checkMatch,
  (f, s) => oneOf('handler_ids', s.handlerId, f.handler_ids),
  checkTime,
  (f, s) => oneOf('sources', s.source, f.sources),
  checkTags,
  (f, s) => oneOf('track_ids', s.trackId, f.track_ids),
  (f, s) => oneOf('external_ids', s.externalId, f.external_ids),
  checkUserData,
  checkTop,
  (f, s) => oneOf('face_ids', s.faceId, f.face_ids),
  (f, s) => bound('event_id__gte', s.eventId, f.event_id__gte, atLeast),
  (f, s) => bound('event_id__lt', s.eventId, f.event_id__lt, below),
];

/** Every filter of `filters` that `subject` fails at `now`; empty when all hold. */
export function failedFilters(
  filters: EventFilters,
  subject: FilterSubject,
  now: number,
): FilterReason[] {
  return CHECKS.flatMap((check) => check(filters, subject, now));
}
