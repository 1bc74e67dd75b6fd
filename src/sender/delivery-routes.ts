/** `GET /6/events/{event_id}/deliveries`: where an event was sent and how each attempt went. */
import * as z from 'zod';
import { notFound } from '../errors/index.ts';
import { EVENT_ID } from '../events/index.ts';
import { defineRoute, isoTime, type RouteDef } from '../http/index.ts';
import type { Delivery, DeliveryRepository } from './delivery-repository.ts';

const PARAMS = z.object({ event_id: EVENT_ID });

/** The API view of one delivery. */
export function deliveryView(d: Delivery) {
  return {
    delivery_id: d.deliveryId,
    event_id: d.eventId,
    handler_id: d.handlerId,
    callback_index: d.callbackIndex,
    type: d.callback.type,
    state: d.state,
    attempts: d.attempts,
    last_error: d.lastError ?? null,
    next_attempt_time: d.state === 'pending' ? isoTime(d.nextAttemptTime) : null,
    create_time: isoTime(d.createTime),
    done_time: d.doneTime === undefined ? null : isoTime(d.doneTime),
  };
}

/** The deliveries route. */
export function deliveryRoutes(deliveries: DeliveryRepository): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/6/events/:event_id/deliveries',
      summary: 'Deliveries of one event to its handler callbacks (pruned once old)',
      resource: 'events',
      params: PARAMS,
      responses: { 200: '{deliveries}', 404: 'no such event' },
      handler: async ({ params, account }) => {
        const rows = await deliveries.ofEvent(account.readScope, params.event_id);
        if (!rows) {
          throw notFound('event', params.event_id);
        }
        return { status: 200, json: { deliveries: rows.map(deliveryView) } };
      },
    }),
  ];
}
