/**
 * The `callbacks` of a handler's storage policy: where each event goes (MQTT topic, HTTP
 * endpoint or the WebSocket stream) and under which filters. Validated by zod at the edge.
 */
import * as z from 'zod';
import { FACE_FILTERS } from '../events/index.ts';

const FILTERS = FACE_FILTERS.prefault({});

/** A topic level under `lunette/<account_id>/events/<handler_id>/`. */
const TOPIC_SUFFIX = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, {
    error: 'must be topic levels of letters, digits, _ . - separated by /',
  });

const HEADER_NAME = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be a header name' });

/** Publish to `lunette/<account_id>/events/<handler_id>[/<topic_suffix>]`. */
export const MQTT_CALLBACK = z.strictObject({
  type: z.literal('mqtt'),
  topic_suffix: TOPIC_SUFFIX.optional(),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
  filters: FILTERS,
});

/** POST the event JSON to `url` (only hosts the HTTP allow setting names). */
export const HTTP_CALLBACK = z.strictObject({
  type: z.literal('http'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  headers: z.record(HEADER_NAME, z.string().max(1024)).default({}),
  timeout_ms: z.number().int().min(100).max(60_000).default(5000),
  filters: FILTERS,
});

/** Send to the account's `GET /6/ws` subscribers. */
export const WS_CALLBACK = z.strictObject({ type: z.literal('ws'), filters: FILTERS });

/** One callback. */
export const CALLBACK = z.discriminatedUnion('type', [MQTT_CALLBACK, HTTP_CALLBACK, WS_CALLBACK]);

/** The list a storage policy holds. */
export const CALLBACKS = z.array(CALLBACK).max(20).default([]);

/** One parsed callback. */
export type Callback = z.output<typeof CALLBACK>;
/** An MQTT callback. */
export type MqttCallback = z.output<typeof MQTT_CALLBACK>;
/** An HTTP callback. */
export type HttpCallback = z.output<typeof HTTP_CALLBACK>;
