/** Routes of `/6/lists`. */
import * as z from 'zod';
import {
  defineRoute,
  FLAG_QUERY,
  idParams,
  isoTime,
  PAGINATION_QUERY,
  type RouteDef,
  USER_DATA,
} from '../http/index.ts';
import type { ListRow } from './list-repository.ts';
import type { ListService } from './list-service.ts';

const CREATE_BODY = z.strictObject({ user_data: USER_DATA.default('') });
const PATCH_BODY = z.strictObject({ user_data: USER_DATA });
const QUERY = PAGINATION_QUERY.extend({ user_data: USER_DATA.optional() });
const DELETE_QUERY = z.object({ with_faces: FLAG_QUERY.default(false) });
const LIST_PARAMS = idParams('list_id');

/** The API view of a list. */
export function listView(list: ListRow) {
  return {
    list_id: list.listId,
    url: `/6/lists/${list.listId}`,
    user_data: list.userData,
    create_time: isoTime(list.createTime),
    last_update_time: isoTime(list.lastUpdateTime),
    face_count: list.faceCount,
  };
}

/** Routes of `/6/lists`. */
export function listRoutes(lists: ListService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/lists',
      summary: 'Create a list',
      resource: 'lists',
      body: { kind: 'json', schema: CREATE_BODY },
      responses: { 201: 'created' },
      handler: async ({ body, account }) => {
        const list = await lists.create(account.accountId, body.user_data);
        return { status: 201, json: { list_id: list.listId, url: `/6/lists/${list.listId}` } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/lists',
      summary: 'Lists, paginated',
      resource: 'lists',
      query: QUERY,
      responses: { 200: '{lists, count}' },
      handler: async ({ query, account }) => {
        const { rows, count } = await lists.query(account.readScope, {
          userData: query.user_data,
          page: query.page,
          pageSize: query.page_size,
        });
        return { status: 200, json: { lists: rows.map(listView), count } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/lists/:list_id',
      summary: 'One list',
      resource: 'lists',
      params: LIST_PARAMS,
      responses: { 200: 'the list', 404: 'no such list' },
      handler: async ({ params, account }) => ({
        status: 200,
        json: listView(await lists.get(account.readScope, params.list_id)),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/6/lists/:list_id',
      summary: 'Change the user_data of a list',
      resource: 'lists',
      params: LIST_PARAMS,
      body: { kind: 'json', schema: PATCH_BODY },
      responses: { 204: 'changed', 404: 'no such list' },
      handler: async ({ params, body, account }) => {
        await lists.update(account.accountId, params.list_id, body.user_data);
        return new Response(null, { status: 204 });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/6/lists/:list_id',
      summary: 'Delete a list (with_faces=1 deletes its faces too)',
      resource: 'lists',
      params: LIST_PARAMS,
      query: DELETE_QUERY,
      responses: { 204: 'deleted', 404: 'no such list' },
      handler: async ({ params, query, account }) => {
        await lists.remove(account.accountId, params.list_id, query.with_faces);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}
