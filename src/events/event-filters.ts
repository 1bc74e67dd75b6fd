/**
 * The one filter shape of the platform. `FACE_FILTERS` is the `filters` object of every policy
 * (storage, tags, later callbacks); `EVENT_FILTERS` adds the fields of a stored event and is
 * what event search, statistics and `origin: "events"` candidates take. The query-string form
 * parses to the same type. Evaluation lives in filter-predicate.ts (memory) and filter-sql.ts
 * (libSQL), which agree on every field.
 */
import * as z from 'zod';
import { ID, PAGINATION_QUERY, USER_DATA } from '../http/index.ts';
import { isTimeBound } from './relative-time.ts';

/** Liveness predictions a face can carry. */
export const LIVENESS_STATES = ['real', 'spoof', 'unknown'] as const;

/** One liveness prediction. */
export type LivenessState = (typeof LIVENESS_STATES)[number];

/** A match label of a match policy. */
export const LABEL = z.string().min(1).max(64);
/** A tag set by a request or by `conditional_tags_policy`. */
export const TAG = z.string().min(1).max(64);
/** Where an image came from (camera name, door, …). */
export const SOURCE = z.string().min(1).max(128);
/** A tracker's id for one person across frames. */
export const TRACK_ID = z.string().min(1).max(64);
/** An event id (UUIDv7). */
export const EVENT_ID = z.uuid({ error: 'must be an event id (uuid)' });

const SIMILARITY = z.number().min(0).max(1);
const AGE = z.number().min(0).max(200);
const GENDER = z.union([z.literal(0), z.literal(1)]);
const LIVENESS = z.enum(LIVENESS_STATES);
const TIME_BOUND = z.string().max(64).refine(isTimeBound, {
  message: 'must be an ISO-8601 time with offset, or now±N with unit s, m, h, d or w (now-3h)',
});

/** One `match` filter: the best similarity under `label` must fall in the range. */
export const MATCH_FILTER = z.strictObject({
  label: LABEL,
  similarity__gte: SIMILARITY.optional(),
  similarity__lt: SIMILARITY.optional(),
});

/** The `filters` object of policies: all fields optional, all given ones must hold. */
export const FACE_FILTERS = z.strictObject({
  age__gte: AGE.optional(),
  age__lt: AGE.optional(),
  gender: GENDER.optional(),
  liveness: z.array(LIVENESS).min(1).max(3).optional(),
  match: z.array(MATCH_FILTER).min(1).max(10).optional(),
});

/** Filters of a policy. */
export type FaceFilters = z.infer<typeof FACE_FILTERS>;

const ids = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(1000);

/** Filters of stored events: the face filters plus the event's own fields. */
export const EVENT_FILTERS = FACE_FILTERS.extend({
  handler_ids: ids(ID).optional(),
  create_time__gte: TIME_BOUND.optional(),
  create_time__lt: TIME_BOUND.optional(),
  sources: ids(SOURCE).optional(),
  tags: ids(TAG).optional(),
  track_ids: ids(TRACK_ID).optional(),
  external_ids: ids(z.string().min(1).max(64)).optional(),
  user_data: USER_DATA.optional(),
  top_matching_candidates_label: LABEL.optional(),
  top_similar_object_ids: ids(z.uuid()).optional(),
  top_similar_object_similarity__gte: SIMILARITY.optional(),
  top_similar_object_similarity__lt: SIMILARITY.optional(),
  face_ids: ids(ID).optional(),
  event_id__gte: EVENT_ID.optional(),
  event_id__lt: EVENT_ID.optional(),
});

/** Filters of stored events. */
export type EventFilters = z.infer<typeof EVENT_FILTERS>;

/** `{"origin":"events", …event filters}`: past events as match candidates. */
export const EVENT_CANDIDATES = EVENT_FILTERS.extend({ origin: z.literal('events') });

function splitList(value: string | string[]): string[] {
  const parts = Array.isArray(value) ? value : [value];
  return parts.flatMap((s) => s.split(',')).filter(Boolean);
}

const listQuery = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform(splitList)
    .pipe(ids(item));

const numberQuery = (schema: z.ZodNumber) => z.coerce.number().pipe(schema);

/**
 * `GET /6/events` query: the event filters in query-string form (lists comma-separated). Strict,
 * so a misspelt filter is an error rather than a filter silently ignored.
 */
export const EVENT_FILTERS_QUERY = z.strictObject({
  ...PAGINATION_QUERY.shape,
  handler_ids: listQuery(ID).optional(),
  create_time__gte: TIME_BOUND.optional(),
  create_time__lt: TIME_BOUND.optional(),
  sources: listQuery(SOURCE).optional(),
  tags: listQuery(TAG).optional(),
  track_ids: listQuery(TRACK_ID).optional(),
  external_ids: listQuery(z.string().min(1).max(64)).optional(),
  user_data: USER_DATA.optional(),
  age__gte: numberQuery(AGE).optional(),
  age__lt: numberQuery(AGE).optional(),
  gender: z
    .enum(['0', '1'])
    .transform((v) => (v === '1' ? 1 : 0) as 0 | 1)
    .optional(),
  liveness: listQuery(LIVENESS).optional(),
  top_matching_candidates_label: LABEL.optional(),
  top_similar_object_ids: listQuery(z.uuid()).optional(),
  top_similar_object_similarity__gte: numberQuery(SIMILARITY).optional(),
  top_similar_object_similarity__lt: numberQuery(SIMILARITY).optional(),
  face_ids: listQuery(ID).optional(),
  event_id__gte: EVENT_ID.optional(),
  event_id__lt: EVENT_ID.optional(),
});
