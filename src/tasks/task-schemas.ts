/**
 * zod pieces shared by the task bodies: the fields every task takes (description, result TTL),
 * and the `filters` objects that pick faces or events.
 */
import * as z from 'zod';
import { AppError } from '../errors/index.ts';
import { EVENT_CANDIDATES, type EventFilters } from '../events/index.ts';
import { EXTERNAL_ID, ID, USER_DATA } from '../http/index.ts';
import type { FaceFilter } from './internal/face-scan-repository.ts';

/** Longest result TTL a task may ask for: one year. */
export const MAX_RESULT_TTL_S = 366 * 24 * 3600;

/** Fields every task body may carry besides its own. */
export const COMMON_FIELDS = {
  description: USER_DATA.optional(),
  /** Seconds the result file is kept; without it the file lives as long as the task. */
  result_ttl: z.int().min(60).max(MAX_RESULT_TTL_S).optional(),
};

const ISO_TIME = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time with offset' });

/** `{"origin":"faces", …}`: faces by list, ids, external ids and creation time. */
export const FACE_FILTERS = z.strictObject({
  origin: z.literal('faces'),
  list_id: ID.optional(),
  face_ids: z.array(ID).min(1).max(10_000).optional(),
  external_ids: z.array(EXTERNAL_ID).min(1).max(1000).optional(),
  create_time__gte: ISO_TIME.optional(),
  create_time__lt: ISO_TIME.optional(),
});

/** Faces picked by filters. */
export type FaceFilters = z.infer<typeof FACE_FILTERS>;

/** `filters` of kinds that read faces or events. */
export const FACE_OR_EVENT_FILTERS = z.discriminatedUnion('origin', [
  FACE_FILTERS,
  EVENT_CANDIDATES,
]);

/** Faces or events picked by filters. */
export type FaceOrEventFilters = z.infer<typeof FACE_OR_EVENT_FILTERS>;

/** The event filters of validated `{"origin":"events", …}` filters. */
export function eventFiltersOf(filters: { origin: 'events' } & EventFilters): EventFilters {
  const { origin: _, ...rest } = filters;
  return rest;
}

/** The repository filter of validated face filters. */
export function faceFilterOf(filters: FaceFilters): FaceFilter {
  return {
    listId: filters.list_id,
    faceIds: filters.face_ids,
    externalIds: filters.external_ids,
    createTimeGte: filters.create_time__gte ? Date.parse(filters.create_time__gte) : undefined,
    createTimeLt: filters.create_time__lt ? Date.parse(filters.create_time__lt) : undefined,
  };
}

/** A `validation_failed` error about one field, shaped like the edge validation's errors. */
export function fieldError(path: string, message: string): AppError {
  return new AppError('validation_failed', `${path}: ${message}`, {
    issues: [{ path, code: 'custom', message }],
  });
}
