/** Routes of `/6/handlers`: CRUD, the policy validator, and event generation. */
import * as z from 'zod';
import { eventView, rectView, SOURCE, TAG, TRACK_ID } from '../events/index.ts';
import {
  defineRoute,
  EXTERNAL_ID,
  FLAG_QUERY,
  idParams,
  isoTime,
  PAGINATION_QUERY,
  type RouteDef,
  roundTo,
  USER_DATA,
} from '../http/index.ts';
import type { EventGenerator, GenerationResult } from './event-generator.ts';
import { type EventInput, readEventInput } from './event-input.ts';
import type { FilteredFace } from './face-pipeline.ts';
import type { HandlerRow } from './handler-repository.ts';
import type { HandlerService } from './handler-service.ts';
import { FLAG, POLICIES } from './policy-schema.ts';

const HANDLER_BODY = z.strictObject({
  description: z.string().max(128).default(''),
  is_dynamic: FLAG.default(false),
  policies: POLICIES.prefault({}),
});

const VALIDATOR_BODY = z.strictObject({ policies: POLICIES });

const HANDLER_PARAMS = idParams('handler_id');

const TAGS_QUERY = z
  .string()
  .transform((v) => v.split(',').filter(Boolean))
  .pipe(z.array(TAG).max(100));

const EVENTS_QUERY = z.object({
  source: SOURCE.optional(),
  tags: TAGS_QUERY.default([]),
  track_id: TRACK_ID.optional(),
  external_id: EXTERNAL_ID.optional(),
  user_data: USER_DATA.optional(),
  aggregate_attributes: FLAG_QUERY.default(false),
  use_exif_info: FLAG_QUERY.default(false),
});

/** The API view of a handler. */
export function handlerView(h: HandlerRow) {
  return {
    handler_id: h.handlerId,
    url: `/6/handlers/${h.handlerId}`,
    description: h.description,
    is_dynamic: h.isDynamic,
    create_time: isoTime(h.createTime),
    last_update_time: isoTime(h.lastUpdateTime),
    policies: h.policies,
  };
}

/** The API view of a face the detect policy refused. */
export function filteredView(f: FilteredFace) {
  return {
    filename: f.filename,
    rect: rectView(f.rect),
    score: roundTo(f.score, 4),
    reasons: f.reasons,
  };
}

/** The API view of an event-generation answer. */
export function generationView(result: GenerationResult) {
  return {
    events: result.events.map((g) => ({
      ...eventView(g.event),
      stored: g.stored,
      skipped_policies: g.skipped,
    })),
    filtered_detections: result.filtered.map(filteredView),
    images: result.images.map((i) =>
      i.status === 'failed' ? { ...i, error: i.error.toJSON() } : i,
    ),
  };
}

function collectionRoutes(handlers: HandlerService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/handlers',
      summary: 'Create a handler: a stored pipeline of policies',
      resource: 'handlers',
      body: { kind: 'json', schema: HANDLER_BODY },
      responses: { 201: '{handler_id, url}', 400: 'bad policies', 404: 'unknown list' },
      handler: async ({ body, account }) => {
        const h = await handlers.create(account, {
          description: body.description,
          isDynamic: body.is_dynamic,
          policies: body.policies,
        });
        return {
          status: 201,
          json: { handler_id: h.handlerId, url: `/6/handlers/${h.handlerId}` },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/handlers',
      summary: 'Handlers of the account, oldest first',
      resource: 'handlers',
      query: PAGINATION_QUERY,
      responses: { 200: '{handlers}' },
      handler: async ({ query, account }) => {
        const rows = await handlers.query(account.accountId, query.page, query.page_size);
        return { status: 200, json: { handlers: rows.map(handlerView) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/handlers/count',
      summary: 'Number of handlers of the account',
      resource: 'handlers',
      responses: { 200: '{count}' },
      handler: async ({ account }) => ({
        status: 200,
        json: { count: await handlers.count(account.accountId) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/6/handlers/validator',
      summary: 'Check policies without saving; errors name the JSON path',
      resource: 'handlers',
      permission: 'view',
      body: { kind: 'json', schema: VALIDATOR_BODY },
      responses: {
        200: '{policies} with defaults filled',
        400: 'bad policies',
        404: 'unknown list',
      },
      handler: async ({ body, account }) => {
        await handlers.validate(account, body.policies, ['body', 'policies']);
        return { status: 200, json: { policies: body.policies } };
      },
    }),
  ];
}

function oneHandlerRoutes(handlers: HandlerService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/6/handlers/:handler_id',
      summary: 'One handler',
      resource: 'handlers',
      params: HANDLER_PARAMS,
      responses: { 200: 'the handler', 404: 'no such handler' },
      handler: async ({ params, account }) => ({
        status: 200,
        json: handlerView(await handlers.get(account.accountId, params.handler_id)),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/6/handlers/:handler_id',
      summary: 'Replace the description and policies of a handler',
      resource: 'handlers',
      params: HANDLER_PARAMS,
      body: { kind: 'json', schema: HANDLER_BODY },
      responses: { 204: 'replaced', 400: 'bad policies', 404: 'no such handler or list' },
      handler: async ({ params, body, account }) => {
        await handlers.replace(account, params.handler_id, {
          description: body.description,
          isDynamic: body.is_dynamic,
          policies: body.policies,
        });
        return new Response(null, { status: 204 });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/6/handlers/:handler_id',
      summary: 'Delete a handler (its events stay)',
      resource: 'handlers',
      params: HANDLER_PARAMS,
      responses: { 204: 'deleted', 404: 'no such handler' },
      handler: async ({ params, account }) => {
        await handlers.remove(account.accountId, params.handler_id);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}

function generationRequest(query: z.infer<typeof EVENTS_QUERY>, input: EventInput) {
  const options = {
    source: query.source,
    tags: query.tags,
    trackId: query.track_id,
    externalId: query.external_id,
    userData: query.user_data,
    meta: input.meta,
    aggregate: query.aggregate_attributes,
    useExif: query.use_exif_info,
  };
  return { ...input, options };
}

function generationRoute(generator: EventGenerator): RouteDef {
  return defineRoute({
    method: 'post',
    path: '/6/handlers/:handler_id/events',
    summary: 'Generate events from images (raw, multipart, base64 JSON) or raw descriptors',
    resource: 'events',
    params: HANDLER_PARAMS,
    query: EVENTS_QUERY,
    responses: { 201: '{events, filtered_detections, images}', 404: 'no such handler' },
    handler: async ({ params, query, request, account }) => {
      const read = async () => generationRequest(query, await readEventInput(request));
      const result = await generator.generate(account, params.handler_id, read);
      return { status: 201, json: generationView(result) };
    },
  });
}

/** Routes of handlers and of event generation. */
export function handlerRoutes(handlers: HandlerService, generator: EventGenerator): RouteDef[] {
  return [...collectionRoutes(handlers), ...oneHandlerRoutes(handlers), generationRoute(generator)];
}
