/** libSQL rows of task schedules: a cron expression, a task body, and the next time it fires. */
import type { Database } from '../db/index.ts';
import type { TaskKind } from './task-types.ts';

/** One schedule as stored. */
export interface ScheduleRow {
  scheduleId: string;
  accountId: string;
  cron: string;
  kind: TaskKind;
  params: Record<string, unknown>;
  description: string;
  enabled: boolean;
  nextRunTime: number;
  lastRunTime: number | undefined;
  lastTaskId: string | undefined;
  lastError: string | undefined;
  createTime: number;
  lastUpdateTime: number;
}

/** Fields a PATCH may change. */
export interface SchedulePatch {
  cron?: string;
  nextRunTime?: number;
  description?: string;
  enabled?: boolean;
}

/** Data access for schedules. Reads take `undefined` for every account. */
export interface ScheduleRepository {
  insert(row: Omit<ScheduleRow, 'lastRunTime' | 'lastTaskId' | 'lastError'>): Promise<void>;
  find(scope: string | undefined, scheduleId: string): Promise<ScheduleRow | undefined>;
  query(
    scope: string | undefined,
    page: { page: number; pageSize: number },
  ): Promise<{ rows: ScheduleRow[]; count: number }>;
  update(accountId: string, scheduleId: string, patch: SchedulePatch): Promise<boolean>;
  remove(accountId: string, scheduleId: string): Promise<boolean>;
  /** Enabled schedules due at `now`, oldest due first. */
  due(now: number, limit: number): Promise<ScheduleRow[]>;
  /** Moves a due schedule on; false when another worker moved it first. */
  advance(row: ScheduleRow, nextRunTime: number, now: number): Promise<boolean>;
  /** Records what the last firing produced. */
  recordRun(scheduleId: string, run: { taskId?: string; error?: string }): Promise<void>;
}

function rowToSchedule(row: Record<string, unknown>): ScheduleRow {
  return {
    scheduleId: String(row.schedule_id),
    accountId: String(row.account_id),
    cron: String(row.cron),
    kind: String(row.kind) as TaskKind,
    params: JSON.parse(String(row.params)) as Record<string, unknown>,
    description: String(row.description),
    enabled: Number(row.enabled) === 1,
    nextRunTime: Number(row.next_run_time),
    lastRunTime: row.last_run_time === null ? undefined : Number(row.last_run_time),
    lastTaskId: (row.last_task_id as string | null) ?? undefined,
    lastError: (row.last_error as string | null) ?? undefined,
    createTime: Number(row.create_time),
    lastUpdateTime: Number(row.last_update_time),
  };
}

/** Creates the libSQL schedule repository. */
export function createScheduleRepository(db: Database): ScheduleRepository {
  const scoped = 'account_id = COALESCE(?, account_id)';
  return {
    async insert(r) {
      await db.execute({
        sql: `INSERT INTO task_schedules (schedule_id, account_id, cron, kind, params, description,
          enabled, next_run_time, create_time, last_update_time)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          r.scheduleId,
          r.accountId,
          r.cron,
          r.kind,
          JSON.stringify(r.params),
          r.description,
          r.enabled ? 1 : 0,
          r.nextRunTime,
          r.createTime,
          r.lastUpdateTime,
        ],
      });
    },
    async find(scope, scheduleId) {
      const rs = await db.execute({
        sql: `SELECT * FROM task_schedules WHERE schedule_id = ? AND ${scoped}`,
        args: [scheduleId, scope ?? null],
      });
      return rs.rows[0] ? rowToSchedule(rs.rows[0]) : undefined;
    },
    async query(scope, page) {
      const rs = await db.execute({
        sql: `SELECT * FROM task_schedules WHERE ${scoped}
          ORDER BY create_time, schedule_id LIMIT ? OFFSET ?`,
        args: [scope ?? null, page.pageSize, (page.page - 1) * page.pageSize],
      });
      const count = await db.execute({
        sql: `SELECT COUNT(*) AS n FROM task_schedules WHERE ${scoped}`,
        args: [scope ?? null],
      });
      return { rows: rs.rows.map(rowToSchedule), count: Number(count.rows[0]!.n) };
    },
    async update(accountId, scheduleId, p) {
      const rs = await db.execute({
        sql: `UPDATE task_schedules SET cron = COALESCE(?, cron),
          next_run_time = COALESCE(?, next_run_time), description = COALESCE(?, description),
          enabled = COALESCE(?, enabled), last_update_time = ?
          WHERE schedule_id = ? AND account_id = ?`,
        args: [
          p.cron ?? null,
          p.nextRunTime ?? null,
          p.description ?? null,
          p.enabled === undefined ? null : p.enabled ? 1 : 0,
          Date.now(),
          scheduleId,
          accountId,
        ],
      });
      return rs.rowsAffected > 0;
    },
    async remove(accountId, scheduleId) {
      const rs = await db.execute({
        sql: 'DELETE FROM task_schedules WHERE schedule_id = ? AND account_id = ?',
        args: [scheduleId, accountId],
      });
      return rs.rowsAffected > 0;
    },
    async due(now, limit) {
      const rs = await db.execute({
        sql: `SELECT * FROM task_schedules WHERE enabled = 1 AND next_run_time <= ?
          ORDER BY next_run_time LIMIT ?`,
        args: [now, limit],
      });
      return rs.rows.map(rowToSchedule);
    },
    async advance(row, nextRunTime, now) {
      const rs = await db.execute({
        sql: `UPDATE task_schedules SET next_run_time = ?, last_run_time = ?
          WHERE schedule_id = ? AND next_run_time = ? AND enabled = 1`,
        args: [nextRunTime, now, row.scheduleId, row.nextRunTime],
      });
      return rs.rowsAffected > 0;
    },
    async recordRun(scheduleId, run) {
      await db.execute({
        sql: 'UPDATE task_schedules SET last_task_id = ?, last_error = ? WHERE schedule_id = ?',
        args: [run.taskId ?? null, run.error ?? null, scheduleId],
      });
    },
  };
}
