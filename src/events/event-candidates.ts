/**
 * `origin: "events"` candidates of `POST /6/matcher/faces` and `/6/matcher/raw`: the events
 * module's side of the plug the matcher routes take, answering in the matcher's result shape.
 */
import type * as z from 'zod';
import { roundTo } from '../http/index.ts';
import type { EVENT_CANDIDATES } from './event-filters.ts';
import type { EventMatcher } from './event-matcher.ts';
import { eventCandidateDetails } from './event-view.ts';

/** One `origin: "events"` candidate entry of a match request. */
export interface EventCandidateEntry {
  filters: z.output<typeof EVENT_CANDIDATES>;
  limit: number;
  threshold: number;
}

/** Searches past events for one descriptor; results best first, in API view. */
export type EventCandidateSearch = (
  scope: string | undefined,
  descriptor: Float32Array,
  entry: EventCandidateEntry,
) => Promise<{ event: Record<string, unknown>; similarity: number }[]>;

/** The event search the matcher routes plug in. */
export function eventCandidateSearch(matcher: EventMatcher): EventCandidateSearch {
  return async (scope, descriptor, { filters: candidates, limit, threshold }) => {
    const { origin: _, ...filters } = candidates;
    const found = await matcher.match(scope, descriptor, { filters, limit, threshold }, Date.now());
    return found.map((m) => ({
      event: { event_id: m.event.eventId, ...eventCandidateDetails(m.event) },
      similarity: roundTo(m.similarity, 6),
    }));
  };
}
