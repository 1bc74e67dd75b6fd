/**
 * Tasks as users drive them: create (validated, prepared, queued), read, list, cancel, delete,
 * and download the result. The worker runs what this service queues.
 */
import { AppError, notFound } from '../errors/index.ts';
import { parseWith } from '../http/index.ts';
import type { FileStore } from '../images/index.ts';
import type { KindDefinition } from './kinds/kind.ts';
import type { TaskQuery, TaskRepository } from './task-repository.ts';
import type { ResultFile, TaskKind, TaskRow } from './task-types.ts';

/** What the task service offers; reads take a scope (an account, or undefined for all). */
export interface TaskService {
  /** Validates `body` for `kind`, runs its creation checks and queues the task. */
  create(accountId: string, kind: TaskKind, body: unknown, scheduleId?: string): Promise<TaskRow>;
  get(scope: string | undefined, taskId: string): Promise<TaskRow>;
  query(scope: string | undefined, q: TaskQuery): Promise<{ rows: TaskRow[]; count: number }>;
  /** Cancels a pending or running task; a running one stops after its current step. */
  cancel(accountId: string, taskId: string): Promise<TaskRow>;
  /** Deletes a task (cancelling it if active) and its result file. */
  remove(accountId: string, taskId: string): Promise<void>;
  /** The result file of a finished task. */
  result(scope: string | undefined, taskId: string): Promise<ResultFile>;
}

/** What the task service depends on. */
export interface TaskServiceDeps {
  repository: TaskRepository;
  kinds: ReadonlyMap<TaskKind, KindDefinition>;
  results: FileStore;
  /** Called after a task is queued (wakes the worker). */
  onQueued: () => void;
}

function unavailable(task: TaskRow): AppError {
  if (task.status !== 'done') {
    return new AppError('task_result_unavailable', `task ${task.taskId} is ${task.status}`);
  }
  const why = task.result?.removed ? 'its result expired' : 'it has no result file';
  return new AppError('task_result_unavailable', `task ${task.taskId} is done but ${why}`);
}

/** Creates the task service. */
export function createTaskService(deps: TaskServiceDeps): TaskService {
  const { repository, kinds, results } = deps;

  async function get(scope: string | undefined, taskId: string): Promise<TaskRow> {
    const task = await repository.find(scope, taskId);
    if (!task) {
      throw notFound('task', taskId);
    }
    return task;
  }

  return {
    get,
    query: (scope, q) => repository.query(scope, q),

    async create(accountId, kind, body, scheduleId) {
      const definition = kinds.get(kind);
      if (!definition) {
        throw new AppError('validation_failed', `unknown task kind ${kind}`);
      }
      const params = parseWith(definition.schema, body, 'body') as Record<string, unknown>;
      const checkpoint = await definition.prepare?.(accountId, params);
      const taskId = crypto.randomUUID();
      await repository.insert({
        taskId,
        accountId,
        kind,
        description: (params.description as string | undefined) ?? '',
        params: body,
        checkpoint,
        scheduleId,
        resultTtlSeconds: params.result_ttl as number | undefined,
        createTime: Date.now(),
      });
      deps.onQueued();
      return get(accountId, taskId);
    },

    async cancel(accountId, taskId) {
      const outcome = await repository.cancel(accountId, taskId, Date.now());
      if (outcome === 'missing') {
        throw notFound('task', taskId);
      }
      const task = await get(accountId, taskId);
      if (outcome === 'finished') {
        throw new AppError('task_finished', `task ${taskId} is already ${task.status}`);
      }
      return task;
    },

    async remove(accountId, taskId) {
      const removed = await repository.remove(accountId, taskId);
      if (!removed) {
        throw notFound('task', taskId);
      }
      if (removed.result) {
        await results.remove(taskId);
      }
    },

    async result(scope, taskId) {
      const task = await get(scope, taskId);
      const meta = task.result;
      const bytes = task.status === 'done' && meta && !meta.removed && (await results.read(taskId));
      if (!meta || !bytes) {
        throw unavailable(task);
      }
      return { filename: meta.filename, contentType: meta.contentType, bytes };
    },
  };
}
