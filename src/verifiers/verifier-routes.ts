/** Routes of `/6/verifiers`: CRUD and 1:1 verifications of uploaded images. */
import * as z from 'zod';
import { basicView } from '../attributes/index.ts';
import { EVENT_ID, rectView } from '../events/index.ts';
import { filteredView, sniffContentType } from '../handlers/index.ts';
import {
  defineRoute,
  ID_LIST_QUERY,
  type ImageUpload,
  idParams,
  isoTime,
  PAGINATION_QUERY,
  type RouteDef,
  roundTo,
} from '../http/index.ts';
import { VERIFIER_POLICIES, type VerifierRow } from './verifier-repository.ts';
import type {
  VerificationResult,
  VerificationTarget,
  VerifierService,
} from './verifier-service.ts';

const VERIFIER_BODY = z.strictObject({
  description: z.string().max(128).default(''),
  policies: VERIFIER_POLICIES.prefault({}),
});

const VERIFIER_PARAMS = idParams('verifier_id');

const EVENT_IDS_QUERY = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean))
  .pipe(z.array(EVENT_ID).max(1000));

/** Exactly one kind of target; several ids of it. */
const VERIFY_QUERY = z
  .object({
    face_ids: ID_LIST_QUERY.optional(),
    attribute_ids: ID_LIST_QUERY.optional(),
    event_ids: EVENT_IDS_QUERY.optional(),
  })
  .refine((q) => [q.face_ids, q.attribute_ids, q.event_ids].filter(Boolean).length <= 1, {
    message: 'give only one of face_ids, attribute_ids or event_ids',
  });

type VerifyQuery = z.infer<typeof VERIFY_QUERY>;

function targetsOf(q: VerifyQuery): VerificationTarget[] {
  return [
    ...(q.face_ids ?? []).map((id) => ({ type: 'face' as const, id })),
    ...(q.attribute_ids ?? []).map((id) => ({ type: 'attribute' as const, id })),
    ...(q.event_ids ?? []).map((id) => ({ type: 'event' as const, id })),
  ];
}

function imagesOf(uploads: ImageUpload[]) {
  return uploads.map((u) => ({
    filename: u.filename,
    bytes: u.bytes,
    contentType: sniffContentType(u.bytes, 'application/octet-stream'),
    imageType: 'raw' as const,
  }));
}

/** The API view of a verifier. */
export function verifierView(v: VerifierRow) {
  return {
    verifier_id: v.verifierId,
    url: `/6/verifiers/${v.verifierId}`,
    description: v.description,
    create_time: isoTime(v.createTime),
    last_update_time: isoTime(v.lastUpdateTime),
    policies: v.policies,
  };
}

/** The API view of a verification answer. */
export function verificationView(result: VerificationResult) {
  return {
    detections: result.faces.map((f) => ({
      filename: f.filename,
      rect: rectView(f.rect),
      score: roundTo(f.score, 4),
      basic_attributes: basicView(f.basicAttributes),
      verifications: f.verifications.map((v) => ({
        [`${v.target.type}_id`]: v.target.id,
        similarity: roundTo(v.similarity, 6),
        status: v.status,
      })),
    })),
    filtered_detections: result.filtered.map(filteredView),
    images: result.images.map((i) =>
      i.status === 'failed' ? { ...i, error: i.error.toJSON() } : i,
    ),
  };
}

function collectionRoutes(verifiers: VerifierService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/verifiers',
      summary: 'Create a verifier (1:1 checks with a threshold)',
      resource: 'verifiers',
      body: { kind: 'json', schema: VERIFIER_BODY },
      responses: { 201: '{verifier_id, url}', 400: 'bad policies' },
      handler: async ({ body, account }) => {
        const v = await verifiers.create(account.accountId, body);
        return {
          status: 201,
          json: { verifier_id: v.verifierId, url: `/6/verifiers/${v.verifierId}` },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/verifiers',
      summary: 'Verifiers of the account, oldest first',
      resource: 'verifiers',
      query: PAGINATION_QUERY,
      responses: { 200: '{verifiers}' },
      handler: async ({ query, account }) => {
        const rows = await verifiers.query(account.accountId, query.page, query.page_size);
        return { status: 200, json: { verifiers: rows.map(verifierView) } };
      },
    }),
  ];
}

function oneVerifierRoutes(verifiers: VerifierService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/6/verifiers/:verifier_id',
      summary: 'One verifier',
      resource: 'verifiers',
      params: VERIFIER_PARAMS,
      responses: { 200: 'the verifier', 404: 'no such verifier' },
      handler: async ({ params, account }) => ({
        status: 200,
        json: verifierView(await verifiers.get(account.accountId, params.verifier_id)),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/6/verifiers/:verifier_id',
      summary: 'Replace the description and policies of a verifier',
      resource: 'verifiers',
      params: VERIFIER_PARAMS,
      body: { kind: 'json', schema: VERIFIER_BODY },
      responses: { 204: 'replaced', 404: 'no such verifier' },
      handler: async ({ params, body, account }) => {
        await verifiers.replace(account.accountId, params.verifier_id, body);
        return new Response(null, { status: 204 });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/6/verifiers/:verifier_id',
      summary: 'Delete a verifier',
      resource: 'verifiers',
      params: VERIFIER_PARAMS,
      responses: { 204: 'deleted', 404: 'no such verifier' },
      handler: async ({ params, account }) => {
        await verifiers.remove(account.accountId, params.verifier_id);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}

function verificationRoute(verifiers: VerifierService): RouteDef {
  return defineRoute({
    method: 'post',
    path: '/6/verifiers/:verifier_id/verifications',
    summary: 'Verify the faces of images against faces, attributes or events (1:1)',
    resource: 'verifiers',
    permission: 'view',
    params: VERIFIER_PARAMS,
    query: VERIFY_QUERY,
    body: { kind: 'images' },
    responses: { 200: '{detections, filtered_detections, images}', 404: 'unknown id' },
    handler: async ({ params, query, body, account }) => {
      const images = imagesOf(body);
      const result = await verifiers.verify(account, params.verifier_id, targetsOf(query), images);
      return { status: 200, json: verificationView(result) };
    },
  });
}

/** Routes of verifiers. */
export function verifierRoutes(verifiers: VerifierService): RouteDef[] {
  return [
    ...collectionRoutes(verifiers),
    ...oneVerifierRoutes(verifiers),
    verificationRoute(verifiers),
  ];
}
