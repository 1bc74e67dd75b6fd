/** Routes of `/6/tasks`: one creation route per kind, listing, one task, cancel, delete, result. */
import * as z from 'zod';
import {
  defineRoute,
  idParams,
  PAGINATION_QUERY,
  type RouteDef,
  TIME_QUERY,
} from '../http/index.ts';
import type { KindDefinition } from './kinds/kind.ts';
import type { TaskService } from './task-service.ts';
import { TASK_KINDS, TASK_STATUSES } from './task-types.ts';
import { taskView } from './task-view.ts';

const QUERY = PAGINATION_QUERY.extend({
  kind: z.enum(TASK_KINDS).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  create_time__gte: TIME_QUERY.optional(),
  create_time__lt: TIME_QUERY.optional(),
});

const PATCH_BODY = z.strictObject({ status: z.literal('cancelled') });
const TASK_PARAMS = idParams('task_id');

function creationRoute(kind: KindDefinition, tasks: TaskService): RouteDef {
  return defineRoute({
    method: 'post',
    path: `/6/tasks/${kind.kind}`,
    summary: kind.summary,
    resource: 'tasks',
    body: { kind: 'json', schema: kind.schema },
    responses: { 202: '{task_id, url}: queued', 400: 'invalid body', 404: 'unknown object' },
    handler: async ({ body, account }) => {
      const task = await tasks.create(account.accountId, kind.kind, body);
      return { status: 202, json: { task_id: task.taskId, url: `/6/tasks/${task.taskId}` } };
    },
  });
}

function readRoutes(tasks: TaskService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/6/tasks',
      summary: 'Tasks, newest first, filtered by kind, status and creation time',
      resource: 'tasks',
      query: QUERY,
      responses: { 200: '{tasks, count}' },
      handler: async ({ query, account }) => {
        const { rows, count } = await tasks.query(account.accountId, {
          kind: query.kind,
          status: query.status,
          createTimeGte: query.create_time__gte,
          createTimeLt: query.create_time__lt,
          page: query.page,
          pageSize: query.page_size,
        });
        return { status: 200, json: { tasks: rows.map(taskView), count } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/tasks/:task_id',
      summary: 'One task: status, progress, counts, errors, result',
      resource: 'tasks',
      params: TASK_PARAMS,
      responses: { 200: 'the task', 404: 'no such task' },
      handler: async ({ params, account }) => ({
        status: 200,
        json: taskView(await tasks.get(account.accountId, params.task_id)),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/6/tasks/:task_id/result',
      summary: 'The result file of a finished task (JSON, CSV or zip)',
      resource: 'tasks',
      params: TASK_PARAMS,
      responses: { 200: 'the file, with its name', 404: 'no such task, or no result' },
      handler: async ({ params, account }) => {
        const file = await tasks.result(account.accountId, params.task_id);
        return new Response(file.bytes, {
          headers: {
            'Content-Type': file.contentType,
            'Content-Disposition': `attachment; filename="${file.filename}"`,
          },
        });
      },
    }),
  ];
}

function writeRoutes(tasks: TaskService): RouteDef[] {
  return [
    defineRoute({
      method: 'patch',
      path: '/6/tasks/:task_id',
      summary: 'Cancel a pending or running task',
      resource: 'tasks',
      params: TASK_PARAMS,
      body: { kind: 'json', schema: PATCH_BODY },
      responses: { 200: 'the cancelled task', 404: 'no such task', 409: 'already finished' },
      handler: async ({ params, account }) => ({
        status: 200,
        json: taskView(await tasks.cancel(account.accountId, params.task_id)),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/6/tasks/:task_id',
      summary: 'Delete a task and its result (an active task is stopped)',
      resource: 'tasks',
      params: TASK_PARAMS,
      responses: { 204: 'deleted', 404: 'no such task' },
      handler: async ({ params, account }) => {
        await tasks.remove(account.accountId, params.task_id);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}

/** Routes of `/6/tasks`; mount them after the schedule routes (static paths first). */
export function taskRoutes(tasks: TaskService, kinds: Iterable<KindDefinition>): RouteDef[] {
  return [
    ...[...kinds].map((kind) => creationRoute(kind, tasks)),
    ...readRoutes(tasks),
    ...writeRoutes(tasks),
  ];
}
