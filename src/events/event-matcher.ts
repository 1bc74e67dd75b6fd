/**
 * Search by face over event history: the descriptors of the events a filter selects are loaded
 * from libSQL and scanned exactly, scored as calibrated similarity like faces are. This is the
 * `origin: "events"` candidate of the matcher and of match policies, and the resolver of
 * `{"type":"event"}` references.
 */
import { dot } from '../descriptors/index.ts';
import { AppError, notFound } from '../errors/index.ts';
import { type Calibration, cosineToSimilarity } from '../matcher/index.ts';
import type { EventFilters } from './event-filters.ts';
import type { EventRecord } from './event-record.ts';
import type { EventRepository } from './event-repository.ts';

/**
 * Most event descriptors one search scans (the newest that pass the filters). Narrow searches
 * with time or source filters beyond this; README "Limitations".
 */
export const MAX_EVENT_SCAN = 100_000;

/** Past events as candidates: which, how many, from which similarity up. */
export interface EventCandidateQuery {
  filters: EventFilters;
  limit: number;
  threshold: number;
}

/** One past event that matched. */
export interface EventMatch {
  event: EventRecord;
  similarity: number;
}

/** Matching against stored events. */
export interface EventMatcher {
  /** The best events for a unit descriptor, best first; `scope` as in reads. */
  match(
    scope: string | undefined,
    descriptor: Float32Array,
    query: EventCandidateQuery,
    now: number,
  ): Promise<EventMatch[]>;
  /** The descriptor of a stored event; 404 when unknown, 400 when it has none. */
  descriptorOf(scope: string | undefined, eventId: string): Promise<Float32Array>;
}

interface Ranked {
  index: number;
  cosine: number;
}

/** Indices of the `limit` best vectors for `query`, best first, ties by position (newest). */
export function topByCosine(vectors: Float32Array[], query: Float32Array, limit: number): Ranked[] {
  const ranked: Ranked[] = [];
  for (let index = 0; index < vectors.length; index++) {
    const cosine = dot(query, vectors[index]!);
    if (ranked.length < limit || cosine > ranked[ranked.length - 1]!.cosine) {
      ranked.push({ index, cosine });
      ranked.sort((a, b) => b.cosine - a.cosine || a.index - b.index);
      ranked.length = Math.min(ranked.length, limit);
    }
  }
  return ranked;
}

/** The descriptor version matching serves, with its calibration (read at each call). */
export interface ServedVersion {
  readonly descriptorVersion: string;
  readonly calibration: Calibration;
}

/** Creates the event matcher for descriptors of the served version. */
export function createEventMatcher(events: EventRepository, served: ServedVersion): EventMatcher {
  return {
    async match(scope, descriptor, query, now) {
      const { descriptorVersion: version, calibration } = served;
      const found = await events.descriptors(scope, query.filters, version, now, MAX_EVENT_SCAN);
      const kept = topByCosine(found.vectors, descriptor, query.limit)
        .map((r) => ({
          eventId: found.eventIds[r.index]!,
          similarity: cosineToSimilarity(r.cosine, calibration),
        }))
        .filter((r) => r.similarity >= query.threshold);
      const rows = await events.findMany(
        scope,
        kept.map((k) => k.eventId),
      );
      const byId = new Map(rows.map((e) => [e.eventId, e]));
      return kept.flatMap((k) => {
        const event = byId.get(k.eventId);
        return event ? [{ event, similarity: k.similarity }] : [];
      });
    },

    async descriptorOf(scope, eventId) {
      const version = served.descriptorVersion;
      const vector = await events.descriptorOf(scope, eventId, version);
      if (vector) {
        return vector;
      }
      if (await events.exists(scope, eventId)) {
        throw new AppError('descriptor_missing', `event ${eventId} has no ${version} descriptor`);
      }
      throw notFound('event', eventId);
    },
  };
}
