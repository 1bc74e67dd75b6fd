/**
 * The task domain shared by the engine and the kinds: kinds, statuses, the stored row, and what
 * one step of a job reports back (expected outcomes are values: ok, skipped, failed).
 */

/** Every kind of task the appliance runs. */
export const TASK_KINDS = [
  'clustering',
  'reporter',
  'exporter',
  'cross_match',
  'linker',
  'gc',
  'additional_extraction',
  'roc',
  'estimator',
] as const;

/** One kind of task. */
export type TaskKind = (typeof TASK_KINDS)[number];

/** Where a task is in its life. */
export const TASK_STATUSES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const;

/** One task status. */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Numbers a task reports while it runs (faces read, rows removed, …). */
export type TaskCounts = Record<string, number>;

/** A per-item failure collected while a task runs; the task itself goes on. */
export interface ItemError {
  item: string;
  error: string;
}

/** Small facts about a finished task shown with it (cluster count, EER, …). */
export type TaskSummary = Record<string, unknown>;

/** Where a task's result lives. */
export interface ResultMeta {
  filename: string;
  contentType: string;
  size: number;
  /** Unix ms after which the file is removed, if the task asked for a TTL. */
  expireTime: number | undefined;
  /** True once the file was removed by its TTL. */
  removed: boolean;
}

/** One task as stored. */
export interface TaskRow {
  taskId: string;
  accountId: string;
  kind: TaskKind;
  status: TaskStatus;
  description: string;
  params: Record<string, unknown>;
  progress: number;
  counts: TaskCounts;
  errors: ItemError[];
  summary: TaskSummary | undefined;
  checkpoint: unknown;
  reason: string | undefined;
  /** Times the task was started; more than one means it was resumed after a restart. */
  attempts: number;
  scheduleId: string | undefined;
  createTime: number;
  startTime: number | undefined;
  endTime: number | undefined;
  lastUpdateTime: number;
  resultTtlSeconds: number | undefined;
  result: ResultMeta | undefined;
}

/** A result a job hands back to be stored as a file. */
export interface ResultFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** What one step of a job reports. */
export type StepOutcome =
  | { status: 'continue'; progress: number; checkpoint?: unknown }
  | { status: 'ok'; result?: ResultFile; summary?: TaskSummary }
  | { status: 'skipped'; reason: string; summary?: TaskSummary }
  | { status: 'failed'; reason: string };
