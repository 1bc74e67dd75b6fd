/** Events as users read them: one event, filtered pages, statistics, and kept photos. */
import { notFound } from '../errors/index.ts';
import type { FileStore } from '../images/index.ts';
import type { EventFilters } from './event-filters.ts';
import type { EventRecord } from './event-record.ts';
import type { EventRepository } from './event-repository.ts';
import type { StatisticsGroup, StatisticsSpec } from './statistics.ts';

/** A page of a search: page number and size (offset paging; keyset with `event_id__lt`). */
export interface PageRequest {
  page: number;
  pageSize: number;
}

/** A kept photo. */
export interface OriginImage {
  bytes: Uint8Array;
  contentType: string;
}

/** What the event service offers; `scope` is the account to read from, or every account. */
export interface EventService {
  get(scope: string | undefined, eventId: string): Promise<EventRecord>;
  search(
    scope: string | undefined,
    filters: EventFilters,
    page: PageRequest,
  ): Promise<EventRecord[]>;
  statistics(
    scope: string | undefined,
    filters: EventFilters,
    spec: StatisticsSpec,
  ): Promise<StatisticsGroup[]>;
  originImage(scope: string | undefined, imageId: string): Promise<OriginImage>;
}

/** Creates the event service. */
export function createEventService(events: EventRepository, origins: FileStore): EventService {
  return {
    async get(scope, eventId) {
      const event = await events.find(scope, eventId);
      if (!event) {
        throw notFound('event', eventId);
      }
      return event;
    },

    search: (scope, filters, page) =>
      events.query(scope, { filters, page: page.page, pageSize: page.pageSize, now: Date.now() }),

    statistics: (scope, filters, spec) => events.statistics(scope, filters, spec, Date.now()),

    async originImage(scope, imageId) {
      const contentType = await events.originType(scope, imageId);
      const bytes = contentType && (await origins.read(imageId));
      if (!contentType || !bytes) {
        throw notFound('image', imageId);
      }
      return { bytes, contentType };
    },
  };
}
