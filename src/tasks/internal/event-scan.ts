/**
 * Reads events for tasks through the events module: filtered pages, newest first, with a keyset
 * on the time-ordered event id (so events arriving meanwhile shift nothing), and each event's
 * descriptor of the matching version.
 */
import type { EventFilters, EventRecord, EventsModule } from '../../events/index.ts';

/** Task reads of events. */
export interface EventScan {
  /** Up to `limit` events older than `before` (all when undefined), newest first. */
  page(
    accountId: string,
    filters: EventFilters,
    before: string | undefined,
    limit: number,
  ): Promise<EventRecord[]>;
  /** The event's descriptor of the matching version, or undefined when it has none. */
  descriptorOf(accountId: string, eventId: string): Promise<Float32Array | undefined>;
}

function older(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) {
    return a ?? b;
  }
  return a < b ? a : b;
}

/** The event scan over the events module's service and matcher. */
export function createEventScan(events: Pick<EventsModule, 'service' | 'matcher'>): EventScan {
  return {
    page: (accountId, filters, before, limit) =>
      events.service.search(
        accountId,
        { ...filters, event_id__lt: older(filters.event_id__lt, before) },
        { page: 1, pageSize: limit },
      ),
    descriptorOf: (accountId, eventId) =>
      events.matcher.descriptorOf(accountId, eventId).catch(() => undefined),
  };
}
