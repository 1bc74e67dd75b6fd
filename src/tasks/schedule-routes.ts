/** Routes of `/6/tasks/schedules`: recurring tasks by cron expression. */
import * as z from 'zod';
import {
  defineRoute,
  idParams,
  isoTime,
  PAGINATION_QUERY,
  type RouteDef,
  USER_DATA,
} from '../http/index.ts';
import type { ScheduleRow } from './schedule-repository.ts';
import type { ScheduleService } from './schedule-service.ts';
import { TASK_KINDS } from './task-types.ts';

const CRON = z.string().min(1).max(128);

const CREATE_BODY = z.strictObject({
  cron: CRON,
  description: USER_DATA.optional(),
  enabled: z.boolean().default(true),
  /** The task to queue at each firing: its kind and the body `POST /6/tasks/<kind>` takes. */
  task: z.strictObject({ kind: z.enum(TASK_KINDS), params: z.record(z.string(), z.unknown()) }),
});

const PATCH_BODY = z
  .strictObject({
    cron: CRON.optional(),
    description: USER_DATA.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give cron, description or enabled' });

const SCHEDULE_PARAMS = idParams('schedule_id');

/** The API view of a schedule. */
export function scheduleView(row: ScheduleRow) {
  return {
    schedule_id: row.scheduleId,
    url: `/6/tasks/schedules/${row.scheduleId}`,
    cron: row.cron,
    description: row.description,
    enabled: row.enabled,
    task: { kind: row.kind, params: row.params },
    next_run_time: row.enabled ? isoTime(row.nextRunTime) : null,
    last_run_time: row.lastRunTime === undefined ? null : isoTime(row.lastRunTime),
    last_task_id: row.lastTaskId ?? null,
    last_error: row.lastError ?? null,
    create_time: isoTime(row.createTime),
    last_update_time: isoTime(row.lastUpdateTime),
  };
}

function collectionRoutes(schedules: ScheduleService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/tasks/schedules',
      summary: 'Create a schedule: a cron expression (UTC) and a task body',
      resource: 'tasks',
      body: { kind: 'json', schema: CREATE_BODY },
      responses: { 201: '{schedule_id, url}', 400: 'bad cron or task body' },
      handler: async ({ body, account }) => {
        const row = await schedules.create(account.accountId, {
          cron: body.cron,
          kind: body.task.kind,
          params: body.task.params,
          description: body.description,
          enabled: body.enabled,
        });
        return { status: 201, json: { schedule_id: row.scheduleId, url: scheduleView(row).url } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/tasks/schedules',
      summary: 'Schedules',
      resource: 'tasks',
      query: PAGINATION_QUERY,
      responses: { 200: '{schedules, count}' },
      handler: async ({ query, account }) => {
        const { rows, count } = await schedules.query(account.accountId, {
          page: query.page,
          pageSize: query.page_size,
        });
        return { status: 200, json: { schedules: rows.map(scheduleView), count } };
      },
    }),
  ];
}

function oneScheduleRoutes(schedules: ScheduleService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/6/tasks/schedules/:schedule_id',
      summary: 'One schedule',
      resource: 'tasks',
      params: SCHEDULE_PARAMS,
      responses: { 200: 'the schedule', 404: 'no such schedule' },
      handler: async ({ params, account }) => ({
        status: 200,
        json: scheduleView(await schedules.get(account.accountId, params.schedule_id)),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/6/tasks/schedules/:schedule_id',
      summary: 'Change the cron expression, description or enabled flag of a schedule',
      resource: 'tasks',
      params: SCHEDULE_PARAMS,
      body: { kind: 'json', schema: PATCH_BODY },
      responses: { 200: 'the schedule', 404: 'no such schedule' },
      handler: async ({ params, body, account }) => ({
        status: 200,
        json: scheduleView(await schedules.update(account.accountId, params.schedule_id, body)),
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/6/tasks/schedules/:schedule_id',
      summary: 'Delete a schedule (tasks it queued stay)',
      resource: 'tasks',
      params: SCHEDULE_PARAMS,
      responses: { 204: 'deleted', 404: 'no such schedule' },
      handler: async ({ params, account }) => {
        await schedules.remove(account.accountId, params.schedule_id);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}

/** Routes of `/6/tasks/schedules`; mount them before `/6/tasks/:task_id`. */
export function scheduleRoutes(schedules: ScheduleService): RouteDef[] {
  return [...collectionRoutes(schedules), ...oneScheduleRoutes(schedules)];
}
