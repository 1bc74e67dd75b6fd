/** Routes of faces and of the linker that attaches faces to lists. */
import * as z from 'zod';
import { basicView } from '../attributes/index.ts';
import {
  defineRoute,
  EXTERNAL_ID,
  ID,
  ID_LIST_QUERY,
  idParams,
  isoTime,
  PAGINATION_QUERY,
  type RouteDef,
  TIME_QUERY,
  USER_DATA,
} from '../http/index.ts';
import type { FaceRow } from './face-repository.ts';
import type { FaceService } from './face-service.ts';

const CREATE_BODY = z.strictObject({
  attribute_id: ID.optional(),
  user_data: USER_DATA.optional(),
  external_id: EXTERNAL_ID.optional(),
  lists: z.array(ID).max(100).optional(),
});

const PATCH_BODY = z
  .strictObject({ user_data: USER_DATA.optional(), external_id: EXTERNAL_ID.optional() })
  .refine((b) => b.user_data !== undefined || b.external_id !== undefined, {
    message: 'give user_data or external_id',
  });

const QUERY = PAGINATION_QUERY.extend({
  list_id: ID.optional(),
  external_id: EXTERNAL_ID.optional(),
  face_ids: ID_LIST_QUERY.optional(),
  create_time__gte: TIME_QUERY.optional(),
  create_time__lt: TIME_QUERY.optional(),
});

const LINK_BODY = z.strictObject({
  action: z.enum(['attach', 'detach']),
  list_id: ID,
  face_ids: z.array(ID).min(1).max(1000),
});

const FACE_PARAMS = idParams('face_id');

/** The API view of a face. */
export function faceView(face: FaceRow) {
  return {
    face_id: face.faceId,
    url: `/6/faces/${face.faceId}`,
    create_time: isoTime(face.createTime),
    user_data: face.userData,
    external_id: face.externalId ?? null,
    lists: face.listIds,
    attributes: {
      basic_attributes: basicView(face.basicAttributes),
      descriptor_versions: face.descriptorVersions,
    },
    samples: face.sampleIds,
  };
}

function faceRouteList(faces: FaceService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/faces',
      summary: 'Create a face from an attribute, optionally in lists',
      resource: 'faces',
      body: { kind: 'json', schema: CREATE_BODY },
      responses: {
        201: 'created',
        404: 'unknown attribute or list',
        422: "refused by a list's enrolment policy",
      },
      handler: async ({ body, account }) => {
        const face = await faces.create(account.accountId, {
          attributeId: body.attribute_id,
          userData: body.user_data,
          externalId: body.external_id,
          listIds: body.lists,
        });
        return {
          status: 201,
          json: { face_id: face.faceId, url: `/6/faces/${face.faceId}` },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/faces',
      summary: 'Faces, filtered and paginated',
      resource: 'faces',
      query: QUERY,
      responses: { 200: '{faces, count}' },
      handler: async ({ query, account }) => {
        const { rows, count } = await faces.query(account.readScope, {
          listId: query.list_id,
          externalId: query.external_id,
          faceIds: query.face_ids,
          createTimeGte: query.create_time__gte,
          createTimeLt: query.create_time__lt,
          page: query.page,
          pageSize: query.page_size,
        });
        return { status: 200, json: { faces: rows.map(faceView), count } };
      },
    }),
  ];
}

function oneFaceRoutes(faces: FaceService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/6/faces/:face_id',
      summary: 'One face',
      resource: 'faces',
      params: FACE_PARAMS,
      responses: { 200: 'the face', 404: 'no such face' },
      handler: async ({ params, account }) => ({
        status: 200,
        json: faceView(await faces.get(account.readScope, params.face_id)),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/6/faces/:face_id',
      summary: 'Change user_data or external_id of a face',
      resource: 'faces',
      params: FACE_PARAMS,
      body: { kind: 'json', schema: PATCH_BODY },
      responses: { 204: 'changed', 404: 'no such face' },
      handler: async ({ params, body, account }) => {
        await faces.update(account.accountId, params.face_id, {
          userData: body.user_data,
          externalId: body.external_id,
        });
        return new Response(null, { status: 204 });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/6/faces/:face_id',
      summary: 'Delete a face, its descriptors and its list links',
      resource: 'faces',
      params: FACE_PARAMS,
      responses: { 204: 'deleted', 404: 'no such face' },
      handler: async ({ params, account }) => {
        await faces.remove(account.accountId, params.face_id);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}

function linkerRoute(faces: FaceService): RouteDef {
  return defineRoute({
    method: 'patch',
    path: '/6/linker',
    summary: 'Attach faces to a list or detach them from it',
    resource: 'faces',
    body: { kind: 'json', schema: LINK_BODY },
    responses: { 204: 'done', 404: 'unknown face or list' },
    handler: async ({ body, account }) => {
      await faces.link(account.accountId, {
        action: body.action,
        listId: body.list_id,
        faceIds: body.face_ids,
      });
      return new Response(null, { status: 204 });
    },
  });
}

/** Routes of `/6/faces` and `/6/linker`. */
export function faceRoutes(faces: FaceService): RouteDef[] {
  return [...faceRouteList(faces), ...oneFaceRoutes(faces), linkerRoute(faces)];
}
