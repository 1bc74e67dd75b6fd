/**
 * libSQL rows of tasks. Every write of a running task is conditional on the row still being
 * `running`, so a cancel or delete that lands between two steps wins and the worker stops.
 */
import type { Database } from '../db/index.ts';
import type {
  ItemError,
  ResultMeta,
  TaskCounts,
  TaskKind,
  TaskRow,
  TaskStatus,
  TaskSummary,
} from './task-types.ts';

/** A task about to be stored. */
export interface NewTask {
  taskId: string;
  accountId: string;
  kind: TaskKind;
  description: string;
  params: unknown;
  checkpoint: unknown;
  scheduleId: string | undefined;
  resultTtlSeconds: number | undefined;
  createTime: number;
}

/** Filters and page of a task listing. */
export interface TaskQuery {
  kind?: TaskKind;
  status?: TaskStatus;
  createTimeGte?: number;
  createTimeLt?: number;
  page: number;
  pageSize: number;
}

/** Progress saved after a step. */
export interface TaskProgress {
  progress: number;
  counts: TaskCounts;
  errors: ItemError[];
  /** Undefined keeps the stored checkpoint. */
  checkpoint?: unknown;
}

/** How a task ended. */
export interface TaskEnding extends TaskProgress {
  status: 'done' | 'failed';
  reason: string | undefined;
  summary: TaskSummary | undefined;
  result: Omit<ResultMeta, 'removed'> | undefined;
}

/** Outcome of a cancel request. */
export type CancelOutcome = 'cancelled' | 'finished' | 'missing';

/** Data access for tasks. Reads take `undefined` for every account. */
export interface TaskRepository {
  insert(task: NewTask): Promise<void>;
  find(scope: string | undefined, taskId: string): Promise<TaskRow | undefined>;
  query(scope: string | undefined, q: TaskQuery): Promise<{ rows: TaskRow[]; count: number }>;
  /** Marks the oldest pending task running and returns it. */
  claimNext(now: number): Promise<TaskRow | undefined>;
  /** False when the task is no longer running (cancelled or deleted meanwhile). */
  saveProgress(taskId: string, p: TaskProgress, now: number): Promise<boolean>;
  finish(taskId: string, ending: TaskEnding, now: number): Promise<boolean>;
  cancel(accountId: string, taskId: string, now: number): Promise<CancelOutcome>;
  /** Deletes the task; returns the row it had. */
  remove(accountId: string, taskId: string): Promise<TaskRow | undefined>;
  /** After a restart: running tasks go back to pending, or fail after `maxAttempts` starts. */
  recoverInterrupted(
    maxAttempts: number,
    now: number,
  ): Promise<{ requeued: number; failed: number }>;
  /** Ids of tasks whose result file has outlived its TTL. */
  expiredResults(now: number, limit: number): Promise<string[]>;
  markResultRemoved(taskId: string): Promise<void>;
}

function json<T>(value: unknown, fallback: T): T {
  return value === null || value === undefined ? fallback : (JSON.parse(String(value)) as T);
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function resultOf(row: Record<string, unknown>): ResultMeta | undefined {
  if (row.result_filename === null || row.result_filename === undefined) {
    return undefined;
  }
  return {
    filename: String(row.result_filename),
    contentType: String(row.result_content_type),
    size: Number(row.result_size),
    expireTime: optionalNumber(row.result_expire_time),
    removed: Number(row.result_removed) === 1,
  };
}

function rowToTask(row: Record<string, unknown>): TaskRow {
  return {
    taskId: String(row.task_id),
    accountId: String(row.account_id),
    kind: String(row.kind) as TaskKind,
    status: String(row.status) as TaskStatus,
    description: String(row.description),
    params: json(row.params, {}),
    progress: Number(row.progress),
    counts: json(row.counts, {}),
    errors: json(row.errors, []),
    summary: json(row.summary, undefined),
    checkpoint: json(row.checkpoint, undefined),
    reason: (row.reason as string | null) ?? undefined,
    attempts: Number(row.attempts),
    scheduleId: (row.schedule_id as string | null) ?? undefined,
    createTime: Number(row.create_time),
    startTime: optionalNumber(row.start_time),
    endTime: optionalNumber(row.end_time),
    lastUpdateTime: Number(row.last_update_time),
    resultTtlSeconds: optionalNumber(row.result_ttl_s),
    result: resultOf(row),
  };
}

function whereOf(scope: string | undefined, q: TaskQuery) {
  const parts = ['account_id = COALESCE(?, account_id)'];
  const args: (string | number | null)[] = [scope ?? null];
  const add = (sql: string, value: string | number | undefined) => {
    if (value !== undefined) {
      parts.push(sql);
      args.push(value);
    }
  };
  add('kind = ?', q.kind);
  add('status = ?', q.status);
  add('create_time >= ?', q.createTimeGte);
  add('create_time < ?', q.createTimeLt);
  return { sql: parts.join(' AND '), args };
}

function checkpointArg(checkpoint: unknown): string | null {
  return checkpoint === undefined ? null : JSON.stringify(checkpoint);
}

/** Creates the libSQL task repository. */
export function createTaskRepository(db: Database): TaskRepository {
  const find = async (scope: string | undefined, taskId: string) => {
    const rs = await db.execute({
      sql: 'SELECT * FROM tasks WHERE task_id = ? AND account_id = COALESCE(?, account_id)',
      args: [taskId, scope ?? null],
    });
    return rs.rows[0] ? rowToTask(rs.rows[0]) : undefined;
  };

  return {
    find,
    async insert(t) {
      await db.execute({
        sql: `INSERT INTO tasks (task_id, account_id, kind, status, description, params,
          checkpoint, schedule_id, result_ttl_s, create_time, last_update_time)
          VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          t.taskId,
          t.accountId,
          t.kind,
          t.description,
          JSON.stringify(t.params),
          checkpointArg(t.checkpoint),
          t.scheduleId ?? null,
          t.resultTtlSeconds ?? null,
          t.createTime,
          t.createTime,
        ],
      });
    },
    async query(scope, q) {
      const where = whereOf(scope, q);
      const rs = await db.execute({
        sql: `SELECT * FROM tasks WHERE ${where.sql} ORDER BY create_time DESC, task_id
          LIMIT ? OFFSET ?`,
        args: [...where.args, q.pageSize, (q.page - 1) * q.pageSize],
      });
      const count = await db.execute({
        sql: `SELECT COUNT(*) AS n FROM tasks WHERE ${where.sql}`,
        args: where.args,
      });
      return { rows: rs.rows.map(rowToTask), count: Number(count.rows[0]!.n) };
    },
    async claimNext(now) {
      const rs = await db.execute({
        sql: `UPDATE tasks SET status = 'running', attempts = attempts + 1,
          start_time = COALESCE(start_time, ?), last_update_time = ?
          WHERE task_id = (SELECT task_id FROM tasks WHERE status = 'pending'
            ORDER BY create_time, task_id LIMIT 1) AND status = 'pending' RETURNING *`,
        args: [now, now],
      });
      return rs.rows[0] ? rowToTask(rs.rows[0]) : undefined;
    },
    async saveProgress(taskId, p, now) {
      const rs = await db.execute({
        sql: `UPDATE tasks SET progress = ?, counts = ?, errors = ?,
          checkpoint = COALESCE(?, checkpoint), last_update_time = ?
          WHERE task_id = ? AND status = 'running'`,
        args: [
          p.progress,
          JSON.stringify(p.counts),
          JSON.stringify(p.errors),
          checkpointArg(p.checkpoint),
          now,
          taskId,
        ],
      });
      return rs.rowsAffected > 0;
    },
    async finish(taskId, e, now) {
      const r = e.result;
      const rs = await db.execute({
        sql: `UPDATE tasks SET status = ?, reason = ?, summary = ?, progress = ?, counts = ?,
          errors = ?, end_time = ?, last_update_time = ?, result_filename = ?,
          result_content_type = ?, result_size = ?, result_expire_time = ?
          WHERE task_id = ? AND status = 'running'`,
        args: [
          e.status,
          e.reason ?? null,
          e.summary === undefined ? null : JSON.stringify(e.summary),
          e.progress,
          JSON.stringify(e.counts),
          JSON.stringify(e.errors),
          now,
          now,
          r?.filename ?? null,
          r?.contentType ?? null,
          r?.size ?? null,
          r?.expireTime ?? null,
          taskId,
        ],
      });
      return rs.rowsAffected > 0;
    },
    async cancel(accountId, taskId, now) {
      const rs = await db.execute({
        sql: `UPDATE tasks SET status = 'cancelled', end_time = ?, last_update_time = ?
          WHERE task_id = ? AND account_id = ? AND status IN ('pending', 'running')`,
        args: [now, now, taskId, accountId],
      });
      if (rs.rowsAffected > 0) {
        return 'cancelled';
      }
      return (await find(accountId, taskId)) ? 'finished' : 'missing';
    },
    async remove(accountId, taskId) {
      const rs = await db.execute({
        sql: 'DELETE FROM tasks WHERE task_id = ? AND account_id = ? RETURNING *',
        args: [taskId, accountId],
      });
      return rs.rows[0] ? rowToTask(rs.rows[0]) : undefined;
    },
    async recoverInterrupted(maxAttempts, now) {
      const [failed, requeued] = await db.batch(
        [
          {
            sql: `UPDATE tasks SET status = 'failed', end_time = ?, last_update_time = ?,
              reason = 'interrupted by restarts ' || attempts || ' times; not resumed again'
              WHERE status = 'running' AND attempts >= ?`,
            args: [now, now, maxAttempts],
          },
          {
            sql: `UPDATE tasks SET status = 'pending', last_update_time = ?
              WHERE status = 'running'`,
            args: [now],
          },
        ],
        'write',
      );
      return { requeued: requeued!.rowsAffected, failed: failed!.rowsAffected };
    },
    async expiredResults(now, limit) {
      const rs = await db.execute({
        sql: `SELECT task_id FROM tasks WHERE result_expire_time <= ? AND result_removed = 0
          ORDER BY result_expire_time LIMIT ?`,
        args: [now, limit],
      });
      return rs.rows.map((r) => String(r.task_id));
    },
    async markResultRemoved(taskId) {
      await db.execute({
        sql: 'UPDATE tasks SET result_removed = 1 WHERE task_id = ?',
        args: [taskId],
      });
    },
  };
}
