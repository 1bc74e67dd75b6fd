/**
 * The contract between the task engine and one kind of task: the body schema, what happens
 * after a restart, the checks at creation, and the job that runs one step at a time.
 */
import type * as z from 'zod';
import type { Logger } from '../../logger/index.ts';
import type { StepOutcome, TaskCounts, TaskKind } from '../task-types.ts';

/** What a running job may use from the engine. */
export interface JobContext {
  taskId: string;
  accountId: string;
  createTime: number;
  /** True once the current slice has used its time; the step should return soon after. */
  sliceOver(): boolean;
  /** The counts so far (restored from the checkpointed row when a task resumes). */
  readonly counts: Readonly<TaskCounts>;
  /** Adds `by` (default 1) to the count `name`. */
  count(name: string, by?: number): void;
  /** Records a failure of one item; the task goes on (the first 100 are kept). */
  itemError(item: string, error: string): void;
  log: Logger;
}

/** A job: called step after step until it returns something other than `continue`. */
export interface TaskJob {
  step(): Promise<StepOutcome>;
}

/** One kind of task. `P` is the validated body. */
export interface KindDefinition<P = unknown> {
  kind: TaskKind;
  /** One line for the route table. */
  summary: string;
  /** The body schema (validated at the edge and again when the job opens). */
  schema: z.ZodType<P>;
  /**
   * After a restart: `resume` from the last checkpoint (kinds that change data, in idempotent
   * batches) or `restart` from zero (kinds that only read and write a result at the end).
   */
  afterRestart: 'resume' | 'restart';
  /** Checks that need storage, at creation; throws an AppError; returns the first checkpoint. */
  prepare?(accountId: string, params: P): Promise<unknown>;
  /** Opens the job of a task, from `checkpoint` (undefined: from the start). */
  open(ctx: JobContext, params: P, checkpoint: unknown): Promise<TaskJob> | TaskJob;
}

/** Declares a kind with its body type inferred from the schema. */
export function defineKind<S extends z.ZodType>(
  def: KindDefinition<z.infer<S>> & { schema: S },
): KindDefinition {
  return def as KindDefinition;
}
