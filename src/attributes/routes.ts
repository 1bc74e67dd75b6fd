/** Routes of the extractor and of temporary attributes. */
import * as z from 'zod';
import {
  defineRoute,
  FLAG_QUERY,
  ID,
  idParams,
  isoTime,
  type RouteDef,
  roundTo,
} from '../http/index.ts';
import type { AttributeRecord, BasicAttributes } from './attribute-store.ts';
import type { AttributeService } from './extract-service.ts';

const MAX_TTL_SECONDS = 30 * 24 * 3600;

const EXTRACT_QUERY = z.object({
  extract_descriptor: FLAG_QUERY.default(true),
  extract_basic_attributes: FLAG_QUERY.default(false),
  aggregate_attributes: FLAG_QUERY.default(false),
  ttl: z.coerce.number().int().min(1).max(MAX_TTL_SECONDS).optional(),
});

const EXTRACT_BODY = z.strictObject({ samples: z.array(ID).min(1).max(64) });

const ATTRIBUTE_PARAMS = idParams('attribute_id');

/** The API view of age and gender: age in years to 0.1, gender score (0 female, 1 male). */
export function basicView(basic: BasicAttributes | undefined) {
  return basic ? { age: roundTo(basic.age, 1), gender: roundTo(basic.gender, 3) } : null;
}

/** The API view of an attribute. */
export function attributeView(record: AttributeRecord) {
  return {
    attribute_id: record.attributeId,
    url: `/6/attributes/${record.attributeId}`,
    create_time: isoTime(record.createTime),
    expire_time: isoTime(record.expireTime),
    attributes: {
      basic_attributes: basicView(record.basicAttributes),
      descriptor: record.descriptorVersion ? { version: record.descriptorVersion } : null,
    },
    samples: record.sampleIds,
  };
}

/** Routes of `/6/extractor` and `/6/attributes`. */
export function attributeRoutes(attributes: AttributeService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/extractor',
      summary: 'Extract descriptors and basic attributes from samples into temporary attributes',
      resource: 'attributes',
      query: EXTRACT_QUERY,
      body: { kind: 'json', schema: EXTRACT_BODY },
      responses: { 201: 'the attributes created', 404: 'unknown sample' },
      handler: async ({ query, body, account }) => {
        const records = await attributes.extract(account.accountId, body.samples, {
          extractDescriptor: query.extract_descriptor,
          extractBasicAttributes: query.extract_basic_attributes,
          aggregate: query.aggregate_attributes,
          ttlSeconds: query.ttl,
        });
        return { status: 201, json: records.map(attributeView) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/attributes/:attribute_id',
      summary: 'A temporary attribute, while it lives',
      resource: 'attributes',
      params: ATTRIBUTE_PARAMS,
      responses: { 200: 'the attribute', 404: 'missing or expired' },
      handler: async ({ params, account }) => {
        const record = await attributes.get(account.accountId, params.attribute_id);
        return { status: 200, json: attributeView(record) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/6/attributes/:attribute_id',
      summary: 'Delete a temporary attribute',
      resource: 'attributes',
      params: ATTRIBUTE_PARAMS,
      responses: { 204: 'deleted', 404: 'missing or expired' },
      handler: async ({ params, account }) => {
        await attributes.remove(account.accountId, params.attribute_id);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}
