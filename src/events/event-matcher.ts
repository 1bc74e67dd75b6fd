/**
 * Search by face over event history: the in-memory event descriptor matrix is scanned exactly
 * under the filters, scored as calibrated similarity like faces are. This is the
 * `origin: "events"` candidate of the matcher and of match policies, and the resolver of
 * `{"type":"event"}` references.
 */
import { AppError, notFound } from '../errors/index.ts';
import { type Calibration, cosineToSimilarity, similarityToCosine } from '../matcher/index.ts';
import type { EventDescriptorMatrix } from './event-descriptor-matrix.ts';
import type { EventFilters } from './event-filters.ts';
import type { EventRecord } from './event-record.ts';
import type { EventRepository } from './event-repository.ts';

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

/** The descriptor version matching serves, with its calibration (read at each call). */
export interface ServedVersion {
  readonly descriptorVersion: string;
  readonly calibration: Calibration;
}

/** Creates the event matcher for descriptors of the served version. */
export function createEventMatcher(
  events: EventRepository,
  served: ServedVersion,
  matrix: EventDescriptorMatrix,
): EventMatcher {
  return {
    async match(scope, descriptor, query, now) {
      const { descriptorVersion: version, calibration } = served;
      // Only a bound on the scan: every result is checked against the threshold itself.
      const minCosine = similarityToCosine(query.threshold, calibration) - 1e-6;
      const found = matrix.search(version, descriptor, {
        scope,
        filters: query.filters,
        limit: query.limit,
        minCosine,
        now,
      });
      const kept = found
        .map((r) => ({ eventId: r.id, similarity: cosineToSimilarity(r.cosine, calibration) }))
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
