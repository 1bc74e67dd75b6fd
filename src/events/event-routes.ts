/** Routes of `/6/events`: search, one event, statistics, and the photos events kept. */
import * as z from 'zod';
import { defineRoute, idParams, type RouteDef } from '../http/index.ts';
import { EVENT_FILTERS, EVENT_FILTERS_QUERY, EVENT_ID } from './event-filters.ts';
import type { EventService } from './event-service.ts';
import { eventView } from './event-view.ts';
import { STATISTICS_SPEC } from './statistics.ts';

const EVENT_PARAMS = z.object({ event_id: EVENT_ID });

const STATISTICS_BODY = STATISTICS_SPEC.extend({ filters: EVENT_FILTERS.default({}) });

function searchRoute(events: EventService): RouteDef {
  return defineRoute({
    method: 'get',
    path: '/6/events',
    summary: 'Events, filtered, newest first (page/page_size or keyset with event_id__lt)',
    resource: 'events',
    query: EVENT_FILTERS_QUERY,
    responses: { 200: '{events}' },
    handler: async ({ query, account }) => {
      const { page, page_size: pageSize, ...filters } = query;
      const rows = await events.search(account.readScope, filters, { page, pageSize });
      return { status: 200, json: { events: rows.map(eventView) } };
    },
  });
}

function oneEventRoute(events: EventService): RouteDef {
  return defineRoute({
    method: 'get',
    path: '/6/events/:event_id',
    summary: 'One event',
    resource: 'events',
    params: EVENT_PARAMS,
    responses: { 200: 'the event', 404: 'no such event' },
    handler: async ({ params, account }) => ({
      status: 200,
      json: eventView(await events.get(account.readScope, params.event_id)),
    }),
  });
}

function statisticsRoute(events: EventService): RouteDef {
  return defineRoute({
    method: 'post',
    path: '/6/events/statistics',
    summary: 'Count and min/max/avg of event fields, grouped by hour, day or a field',
    resource: 'events',
    permission: 'view',
    body: { kind: 'json', schema: STATISTICS_BODY },
    responses: { 200: '{statistics: [{group, count, <field>: {min, max, avg}}]}' },
    handler: async ({ body, account }) => {
      const { filters, ...spec } = body;
      const groups = await events.statistics(account.readScope, filters, spec);
      return { status: 200, json: { statistics: groups } };
    },
  });
}

function originImageRoute(events: EventService): RouteDef {
  return defineRoute({
    method: 'get',
    path: '/6/events/origins/:origin_id',
    summary: 'A whole photo kept by an image_origin_policy',
    resource: 'events',
    params: idParams('origin_id'),
    responses: { 200: 'the photo as uploaded', 404: 'no such image' },
    handler: async ({ params, account }) => {
      const image = await events.originImage(account.readScope, params.origin_id);
      return new Response(image.bytes, { headers: { 'Content-Type': image.contentType } });
    },
  });
}

/** Routes of events and kept photos. */
export function eventRoutes(events: EventService): RouteDef[] {
  return [
    searchRoute(events),
    statisticsRoute(events),
    oneEventRoute(events),
    originImageRoute(events),
  ];
}
