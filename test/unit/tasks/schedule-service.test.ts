import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { notFound } from '../../../src/errors/index.ts';
import { createFileStore } from '../../../src/images/index.ts';
import type { Logger } from '../../../src/logger/index.ts';
import { defineKind, type KindDefinition } from '../../../src/tasks/kinds/kind.ts';
import { createScheduleRepository } from '../../../src/tasks/schedule-repository.ts';
import {
  createScheduleService,
  type ScheduleService,
} from '../../../src/tasks/schedule-service.ts';
import { createTaskRepository } from '../../../src/tasks/task-repository.ts';
import { createTaskService, type TaskService } from '../../../src/tasks/task-service.ts';
import type { TaskKind } from '../../../src/tasks/task-types.ts';
import { openTempDb, type TempDb } from '../../helpers/temp-db.ts';

const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const SILENT: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => SILENT,
};

const gc = defineKind({
  kind: 'gc',
  summary: 'fake',
  schema: z.strictObject({ older_than: z.int(), list: z.string().optional() }),
  afterRestart: 'resume',
  prepare: async (_account, params) => {
    if (params.list) {
      throw notFound('list', params.list);
    }
    return undefined;
  },
  open: () => ({ step: async () => ({ status: 'ok' }) }),
});

let temp: TempDb;
let tasks: TaskService;
let schedules: ScheduleService;

beforeEach(async () => {
  temp = await openTempDb();
  const kinds = new Map<TaskKind, KindDefinition>([['gc', gc]]);
  const repository = createTaskRepository(temp.db);
  const results = createFileStore(path.join(temp.dir, 'results'), '.result');
  tasks = createTaskService({ repository, kinds, results, onQueued: () => {} });
  schedules = createScheduleService({
    repository: createScheduleRepository(temp.db),
    tasks,
    kinds,
    logger: SILENT,
  });
});

afterEach(async () => {
  await temp.dispose();
});

describe('schedules', () => {
  it('queues one task per due firing and moves on to the next time', async () => {
    const row = await schedules.create(ACCOUNT, {
      cron: '*/5 * * * *',
      kind: 'gc',
      params: { older_than: 60 },
    });
    expect(row.nextRunTime % 300_000).toBe(0);
    expect(await schedules.fireDue(row.nextRunTime - 1)).toEqual([]);
    const [taskId] = await schedules.fireDue(row.nextRunTime);
    const task = await tasks.get(ACCOUNT, taskId!);
    expect(task).toMatchObject({
      kind: 'gc',
      scheduleId: row.scheduleId,
      params: { older_than: 60 },
    });
    const after = await schedules.get(ACCOUNT, row.scheduleId);
    expect(after.nextRunTime).toBe(row.nextRunTime + 300_000);
    expect(after.lastTaskId).toBe(taskId);
    expect(await schedules.fireDue(row.nextRunTime)).toEqual([]);
  });

  it('fires missed runs once, not once per missed time', async () => {
    const row = await schedules.create(ACCOUNT, {
      cron: '* * * * *',
      kind: 'gc',
      params: { older_than: 1 },
    });
    const late = row.nextRunTime + 3600_000;
    expect(await schedules.fireDue(late)).toHaveLength(1);
    expect((await schedules.get(ACCOUNT, row.scheduleId)).nextRunTime).toBe(late + 60_000);
  });

  it('fires a due schedule once when two workers tick together', async () => {
    const row = await schedules.create(ACCOUNT, {
      cron: '@hourly',
      kind: 'gc',
      params: { older_than: 1 },
    });
    const fired = await Promise.all([
      schedules.fireDue(row.nextRunTime),
      schedules.fireDue(row.nextRunTime),
    ]);
    expect(fired.flat()).toHaveLength(1);
  });

  it('skips disabled schedules and records why a firing failed', async () => {
    const off = await schedules.create(ACCOUNT, {
      cron: '@hourly',
      kind: 'gc',
      params: { older_than: 1 },
      enabled: false,
    });
    const broken = await schedules.create(ACCOUNT, {
      cron: '@hourly',
      kind: 'gc',
      params: { older_than: 1, list: 'gone' },
    });
    expect(await schedules.fireDue(broken.nextRunTime)).toEqual([]);
    expect((await schedules.get(ACCOUNT, broken.scheduleId)).lastError).toBe('list gone not found');
    expect((await schedules.get(ACCOUNT, off.scheduleId)).lastRunTime).toBeUndefined();
  });

  it('refuses a bad cron expression or task body, naming the field', async () => {
    await expect(
      schedules.create(ACCOUNT, { cron: '* * *', kind: 'gc', params: { older_than: 1 } }),
    ).rejects.toThrow('body.cron: expected 5 fields');
    await expect(
      schedules.create(ACCOUNT, { cron: '@daily', kind: 'gc', params: { older_than: 'x' } }),
    ).rejects.toThrow('body.task.params.older_than');
    await expect(
      schedules.create(ACCOUNT, { cron: '0 0 31 2 *', kind: 'gc', params: { older_than: 1 } }),
    ).rejects.toThrow('never fires');
  });
});
