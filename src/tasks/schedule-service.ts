/**
 * Recurring tasks: a cron expression (UTC) and a task body. The service validates both when a
 * schedule is saved, and `fireDue` queues one task per due schedule (missed firings while the
 * box was off collapse into one) and moves the schedule to its next time.
 */
import { notFound } from '../errors/index.ts';
import type { Logger } from '../logger/index.ts';
import { CronError, nextCronTime, parseCron } from './internal/cron.ts';
import type { KindDefinition } from './kinds/kind.ts';
import type { ScheduleRepository, ScheduleRow } from './schedule-repository.ts';
import { fieldError } from './task-schemas.ts';
import type { TaskService } from './task-service.ts';
import type { TaskKind } from './task-types.ts';

/** A schedule to create. */
export interface ScheduleInput {
  cron: string;
  kind: TaskKind;
  params: Record<string, unknown>;
  description?: string;
  enabled?: boolean;
}

/** Fields of a schedule a user may change. */
export interface ScheduleUpdate {
  cron?: string;
  description?: string;
  enabled?: boolean;
}

/** What the schedule service offers. */
export interface ScheduleService {
  create(accountId: string, input: ScheduleInput): Promise<ScheduleRow>;
  get(scope: string | undefined, scheduleId: string): Promise<ScheduleRow>;
  query(
    scope: string | undefined,
    page: { page: number; pageSize: number },
  ): Promise<{ rows: ScheduleRow[]; count: number }>;
  update(accountId: string, scheduleId: string, patch: ScheduleUpdate): Promise<ScheduleRow>;
  remove(accountId: string, scheduleId: string): Promise<void>;
  /** Queues the tasks of schedules due at `now`; returns their task ids. */
  fireDue(now: number): Promise<string[]>;
}

/** What the schedule service depends on. */
export interface ScheduleServiceDeps {
  repository: ScheduleRepository;
  tasks: TaskService;
  kinds: ReadonlyMap<TaskKind, KindDefinition>;
  logger: Logger;
}

/** Schedules fired per tick at most (the rest fire on the next tick). */
const FIRE_BATCH = 50;

/** The next firing of `cron` after `now`; throws a validation error naming `body.cron`. */
function nextTimeOf(cron: string, now: number): number {
  try {
    const next = nextCronTime(parseCron(cron), now);
    if (next === undefined) {
      throw new CronError('the expression never fires');
    }
    return next;
  } catch (err) {
    throw err instanceof CronError ? fieldError('body.cron', err.message) : err;
  }
}

/** Creates the schedule service. */
export function createScheduleService(deps: ScheduleServiceDeps): ScheduleService {
  const { repository, tasks, kinds, logger } = deps;

  function validateParams(kind: TaskKind, params: Record<string, unknown>): void {
    const parsed = kinds.get(kind)!.schema.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw fieldError(['body.task.params', ...issue.path.map(String)].join('.'), issue.message);
    }
  }

  async function get(scope: string | undefined, scheduleId: string): Promise<ScheduleRow> {
    const row = await repository.find(scope, scheduleId);
    if (!row) {
      throw notFound('schedule', scheduleId);
    }
    return row;
  }

  async function fire(row: ScheduleRow, now: number): Promise<string | undefined> {
    const next = nextCronTime(parseCron(row.cron), now) ?? Number.MAX_SAFE_INTEGER;
    if (!(await repository.advance(row, next, now))) {
      return undefined;
    }
    try {
      const task = await tasks.create(row.accountId, row.kind, row.params, row.scheduleId);
      await repository.recordRun(row.scheduleId, { taskId: task.taskId });
      return task.taskId;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      logger.warn('schedule_fire_failed', { scheduleId: row.scheduleId, error });
      await repository.recordRun(row.scheduleId, { error });
      return undefined;
    }
  }

  return {
    get,
    query: (scope, page) => repository.query(scope, page),

    async create(accountId, input) {
      const now = Date.now();
      const nextRunTime = nextTimeOf(input.cron, now);
      validateParams(input.kind, input.params);
      const row = {
        scheduleId: crypto.randomUUID(),
        accountId,
        cron: input.cron,
        kind: input.kind,
        params: input.params,
        description: input.description ?? '',
        enabled: input.enabled ?? true,
        nextRunTime,
        createTime: now,
        lastUpdateTime: now,
      };
      await repository.insert(row);
      return get(accountId, row.scheduleId);
    },

    async update(accountId, scheduleId, patch) {
      const nextRunTime = patch.cron === undefined ? undefined : nextTimeOf(patch.cron, Date.now());
      if (!(await repository.update(accountId, scheduleId, { ...patch, nextRunTime }))) {
        throw notFound('schedule', scheduleId);
      }
      return get(accountId, scheduleId);
    },

    async remove(accountId, scheduleId) {
      if (!(await repository.remove(accountId, scheduleId))) {
        throw notFound('schedule', scheduleId);
      }
    },

    async fireDue(now) {
      const created: string[] = [];
      for (const row of await repository.due(now, FIRE_BATCH)) {
        const taskId = await fire(row, now);
        if (taskId) {
          created.push(taskId);
        }
      }
      return created;
    },
  };
}

/** Fires due schedules every `intervalMs`; returns the function that stops it. */
export function startScheduler(
  schedules: ScheduleService,
  logger: Logger,
  intervalMs = 30_000,
): () => void {
  const tick = () => {
    schedules.fireDue(Date.now()).then(
      (created) => created.length > 0 && logger.info('schedules_fired', { tasks: created.length }),
      (error: unknown) => logger.warn('schedule_tick_failed', { error }),
    );
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}
