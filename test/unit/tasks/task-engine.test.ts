import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AppError } from '../../../src/errors/index.ts';
import { createFileStore, type FileStore } from '../../../src/images/index.ts';
import { type Logger, setLogLevel } from '../../../src/logger/index.ts';
import { defineKind, type KindDefinition } from '../../../src/tasks/kinds/kind.ts';
import { sweepExpiredResults } from '../../../src/tasks/result-sweeper.ts';
import { createTaskRepository, type TaskRepository } from '../../../src/tasks/task-repository.ts';
import { COMMON_FIELDS } from '../../../src/tasks/task-schemas.ts';
import { createTaskService, type TaskService } from '../../../src/tasks/task-service.ts';
import type { TaskKind } from '../../../src/tasks/task-types.ts';
import { startTaskWorker, type TaskWorker } from '../../../src/tasks/task-worker.ts';
import { openTempDb, type TempDb } from '../../helpers/temp-db.ts';

const SILENT: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => SILENT,
};
const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const BODY = z.strictObject({
  ...COMMON_FIELDS,
  steps: z.int().min(1),
  throws: z.enum(['app', 'bug']).optional(),
});

/** Every step each opened job ran, by task id: the checkpoint it started from, and its steps. */
const opened: { from: unknown; steps: number }[] = [];

/** A kind that counts to `steps`, one step per call, busy for 3 ms each. */
function countingKind(kind: TaskKind, afterRestart: 'resume' | 'restart'): KindDefinition {
  return defineKind({
    kind,
    summary: 'counts',
    schema: BODY,
    afterRestart,
    prepare: async () => ({ done: 0 }),
    open: (ctx, params, checkpoint) => {
      const at = { ...(checkpoint as { done: number }) };
      const run = { from: checkpoint, steps: 0 };
      opened.push(run);
      return {
        step: async () => {
          const until = performance.now() + 3;
          while (performance.now() < until) {}
          run.steps++;
          if (params.throws && at.done === 2) {
            throw params.throws === 'app'
              ? new AppError('not_found', 'list x not found')
              : new Error('boom');
          }
          at.done++;
          ctx.count('steps');
          if (at.done < params.steps) {
            return { status: 'continue', progress: at.done / params.steps, checkpoint: at };
          }
          const bytes = new TextEncoder().encode(JSON.stringify({ counted: at.done }));
          return {
            status: 'ok',
            result: {
              filename: `count-${ctx.taskId}.json`,
              contentType: 'application/json',
              bytes,
            },
            summary: { counted: at.done },
          };
        },
      };
    },
  });
}

let temp: TempDb;
let repository: TaskRepository;
let results: FileStore;
let service: TaskService;
let worker: TaskWorker | undefined;
const kinds = new Map<TaskKind, KindDefinition>([
  ['linker', countingKind('linker', 'resume')],
  ['exporter', countingKind('exporter', 'restart')],
]);

function start(pauseMs = 2): TaskWorker {
  worker = startTaskWorker({
    repository,
    kinds,
    results,
    logger: SILENT,
    settings: { sliceMs: 1, pauseMs, idlePollMs: 20 },
  });
  return worker;
}

async function until(
  taskId: string,
  done: (t: Awaited<ReturnType<TaskService['get']>>) => boolean,
) {
  for (let i = 0; i < 500; i++) {
    const task = await service.get(undefined, taskId);
    if (done(task)) {
      return task;
    }
    await Bun.sleep(5);
  }
  throw new Error(`task ${taskId} never got there`);
}

const finished = (t: { status: string }) => !['pending', 'running'].includes(t.status);

beforeEach(async () => {
  setLogLevel('error');
  opened.length = 0;
  temp = await openTempDb();
  repository = createTaskRepository(temp.db);
  results = createFileStore(path.join(temp.dir, 'results'), '.result');
  service = createTaskService({ repository, kinds, results, onQueued: () => worker?.wake() });
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await temp.dispose();
});

describe('task engine', () => {
  it('runs a task step by step to done and keeps its result file', async () => {
    start();
    const task = await service.create(ACCOUNT, 'linker', { steps: 5 });
    expect(task.status).toBe('pending');
    const done = await until(task.taskId, finished);
    expect(done).toMatchObject({ status: 'done', progress: 1, counts: { steps: 5 }, attempts: 1 });
    expect(done.summary).toEqual({ counted: 5 });
    const file = await service.result(ACCOUNT, task.taskId);
    expect(file.filename).toBe(`count-${task.taskId}.json`);
    expect(JSON.parse(new TextDecoder().decode(file.bytes))).toEqual({ counted: 5 });
  });

  it('keeps the event loop turning between steps', async () => {
    start(0);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const task = await service.create(ACCOUNT, 'linker', { steps: 40 });
    await until(task.taskId, finished);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(10);
  });

  it('resumes a checkpointed task after a restart, finishing its count exactly once', async () => {
    start(5);
    const task = await service.create(ACCOUNT, 'linker', { steps: 20 });
    await until(task.taskId, (t) => t.progress >= 0.2);
    await worker!.stop();
    const interrupted = await service.get(ACCOUNT, task.taskId);
    expect(interrupted.status).toBe('running');
    expect((interrupted.checkpoint as { done: number }).done).toBeGreaterThanOrEqual(4);
    expect(await repository.recoverInterrupted(3, Date.now())).toEqual({ requeued: 1, failed: 0 });
    start();
    const done = await until(task.taskId, finished);
    expect(done).toMatchObject({ status: 'done', attempts: 2, counts: { steps: 20 } });
    expect(opened[1]!.from).toEqual(interrupted.checkpoint);
    expect(opened[0]!.steps + opened[1]!.steps).toBe(20);
  });

  it('starts a read-only task over after a restart', async () => {
    start(5);
    const task = await service.create(ACCOUNT, 'exporter', { steps: 20 });
    await until(task.taskId, (t) => t.progress >= 0.2);
    await worker!.stop();
    await repository.recoverInterrupted(3, Date.now());
    start();
    const done = await until(task.taskId, finished);
    expect(done.counts).toEqual({ steps: 20 });
    expect(opened[1]!.from).toEqual({ done: 0 });
  });

  it('fails a task interrupted too often, with the reason', async () => {
    const task = await service.create(ACCOUNT, 'linker', { steps: 1000 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      start(5);
      await until(task.taskId, (t) => t.attempts === attempt && t.progress > 0);
      await worker!.stop();
      await repository.recoverInterrupted(3, Date.now());
    }
    const failed = await service.get(ACCOUNT, task.taskId);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toBe('interrupted by restarts 3 times; not resumed again');
  });

  it('stops a cancelled task at its next step and writes no result', async () => {
    start(5);
    const task = await service.create(ACCOUNT, 'linker', { steps: 1000 });
    await until(task.taskId, (t) => t.progress > 0);
    const cancelled = await service.cancel(ACCOUNT, task.taskId);
    expect(cancelled.status).toBe('cancelled');
    const stepsAtCancel = opened[0]!.steps;
    await Bun.sleep(60);
    expect(opened[0]!.steps - stepsAtCancel).toBeLessThanOrEqual(1);
    await expect(service.cancel(ACCOUNT, task.taskId)).rejects.toThrow('already cancelled');
    await expect(service.result(ACCOUNT, task.taskId)).rejects.toThrow('is cancelled');
  });

  it('fails a task with the message of an expected error, hiding an unexpected one', async () => {
    start();
    const app = await service.create(ACCOUNT, 'linker', { steps: 5, throws: 'app' });
    const bug = await service.create(ACCOUNT, 'linker', { steps: 5, throws: 'bug' });
    expect((await until(app.taskId, finished)).reason).toBe('list x not found');
    const failed = await until(bug.taskId, finished);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toBe(`internal error (appliance log, task ${bug.taskId})`);
  });

  it('deletes a running task and leaves no result behind', async () => {
    start(5);
    const task = await service.create(ACCOUNT, 'linker', { steps: 30 });
    await until(task.taskId, (t) => t.progress > 0);
    await service.remove(ACCOUNT, task.taskId);
    await Bun.sleep(200);
    expect(await results.read(task.taskId)).toBeUndefined();
    await expect(service.get(ACCOUNT, task.taskId)).rejects.toThrow('not found');
  });

  it('validates bodies at creation and scopes tasks to their account', async () => {
    await expect(service.create(ACCOUNT, 'linker', { steps: 0 })).rejects.toThrow('body.steps');
    const task = await service.create(ACCOUNT, 'linker', { steps: 1, result_ttl: 60 });
    await expect(service.get('22222222-2222-4222-8222-222222222222', task.taskId)).rejects.toThrow(
      'not found',
    );
    expect((await service.query(ACCOUNT, { page: 1, pageSize: 10, kind: 'linker' })).count).toBe(1);
  });

  it('removes a result file once its TTL has passed', async () => {
    start();
    const task = await service.create(ACCOUNT, 'linker', { steps: 2, result_ttl: 60 });
    const done = await until(task.taskId, finished);
    expect(done.result!.expireTime! - done.endTime!).toBe(60_000);
    expect(await sweepExpiredResults(repository, results, Date.now())).toBe(0);
    expect(await sweepExpiredResults(repository, results, Date.now() + 61_000)).toBe(1);
    expect(await results.read(task.taskId)).toBeUndefined();
    await expect(service.result(ACCOUNT, task.taskId)).rejects.toThrow('its result expired');
    expect((await service.get(ACCOUNT, task.taskId)).result!.removed).toBe(true);
  });
});
