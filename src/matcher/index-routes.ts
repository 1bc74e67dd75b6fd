/** Routes of `/6/lists/{id}/index`: start a build of a list's index, read its status. */
import { defineRoute, idParams, isoTime, type RouteDef } from '../http/index.ts';
import type { IndexStatus } from './index/index-manager.ts';
import type { ListIndexService } from './index-service.ts';

const LIST_PARAMS = idParams('list_id');

/** The API view of a list's index. */
export function indexView(listId: string, status: IndexStatus) {
  return {
    list_id: listId,
    state: status.state,
    ready: status.ready,
    size: status.size,
    built_at: status.builtAt === undefined ? null : isoTime(status.builtAt),
    faces_pending: status.pending,
    faces_removed: status.removed,
    precision: status.precision,
    error: status.error ?? null,
  };
}

/** Routes of list indexes. */
export function listIndexRoutes(indexes: ListIndexService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/lists/:list_id/index',
      summary: "Build (or rebuild) a list's index in the background",
      resource: 'lists',
      params: LIST_PARAMS,
      responses: { 202: 'build queued; the index status', 400: 'no faces', 404: 'no such list' },
      handler: async ({ params, account }) => ({
        status: 202,
        json: indexView(params.list_id, await indexes.build(account.accountId, params.list_id)),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/6/lists/:list_id/index',
      summary: "Status of a list's index",
      resource: 'lists',
      params: LIST_PARAMS,
      responses: { 200: 'the index status', 404: 'no such list' },
      handler: async ({ params, account }) => ({
        status: 200,
        json: indexView(params.list_id, await indexes.status(account.readScope, params.list_id)),
      }),
    }),
  ];
}
