/**
 * The worker loop: claims the oldest pending task, runs its job step by step in time slices,
 * yields to the event loop between slices so API requests keep flowing, saves progress and the
 * checkpoint after each step, and stops at once when the row is no longer `running`.
 */
import { AppError } from '../errors/index.ts';
import type { FileStore } from '../images/index.ts';
import type { Logger } from '../logger/index.ts';
import { JobReport } from './internal/job-report.ts';
import type { JobContext, KindDefinition, TaskJob } from './kinds/kind.ts';
import type { TaskRepository } from './task-repository.ts';
import type { StepOutcome, TaskKind, TaskRow } from './task-types.ts';

/** How the worker paces itself. */
export interface WorkerSettings {
  /** Longest run of work between two yields, in milliseconds. */
  sliceMs: number;
  /** Pause between two slices, in milliseconds (0: yield without waiting). */
  pauseMs: number;
  /** How often an idle worker looks for tasks created elsewhere, in milliseconds. */
  idlePollMs?: number;
}

/** What the worker depends on. */
export interface WorkerDeps {
  repository: TaskRepository;
  kinds: ReadonlyMap<TaskKind, KindDefinition>;
  results: FileStore;
  logger: Logger;
  settings: WorkerSettings;
}

/** A started worker. */
export interface TaskWorker {
  /** Makes an idle worker look for tasks now. */
  wake(): void;
  /** Stops after the current step; a running task stays `running` and resumes on next start. */
  stop(): Promise<void>;
}

type Final = Exclude<StepOutcome, { status: 'continue' }>;

type Running = {
  task: TaskRow;
  job: TaskJob;
  report: JobReport;
  ctx: JobContext & { begin(): void };
  /** Whether step checkpoints are kept (kinds that resume) or ignored (kinds that restart). */
  resume: boolean;
};

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}

function reasonOf(err: unknown, taskId: string): string {
  return err instanceof AppError ? err.message : `internal error (appliance log, task ${taskId})`;
}

/** Starts the worker loop. */
export function startTaskWorker(deps: WorkerDeps): TaskWorker {
  const { repository, kinds, results, logger, settings } = deps;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  function contextOf(task: TaskRow, report: JobReport): Running['ctx'] {
    let sliceEnd = 0;
    return {
      taskId: task.taskId,
      accountId: task.accountId,
      createTime: task.createTime,
      log: logger.child({ taskId: task.taskId, kind: task.kind }),
      begin: () => {
        sliceEnd = performance.now() + settings.sliceMs;
      },
      sliceOver: () => performance.now() >= sliceEnd,
      counts: report.counts,
      count: (name, by) => report.count(name, by),
      itemError: (item, error) => report.itemError(item, error),
    };
  }

  async function open(task: TaskRow): Promise<Running | Final> {
    const kind = kinds.get(task.kind);
    if (!kind) {
      return { status: 'failed', reason: `unknown task kind ${task.kind}` };
    }
    const parsed = kind.schema.safeParse(task.params);
    if (!parsed.success) {
      return { status: 'failed', reason: `parameters no longer valid: ${parsed.error.message}` };
    }
    const resume = kind.afterRestart === 'resume';
    const report = resume ? new JobReport(task.counts, task.errors) : new JobReport();
    const ctx = contextOf(task, report);
    const job = await kind.open(ctx, parsed.data, task.checkpoint);
    return { task, report, ctx, job, resume };
  }

  async function conclude(run: Running, outcome: Final) {
    const { task, report } = run;
    const now = Date.now();
    const file = outcome.status === 'ok' ? outcome.result : undefined;
    if (file) {
      await results.write(task.taskId, file.bytes);
    }
    const ttl = task.resultTtlSeconds;
    const finished = await repository.finish(
      task.taskId,
      {
        status: outcome.status === 'failed' ? 'failed' : 'done',
        reason: outcome.status === 'ok' ? undefined : outcome.reason,
        summary: outcome.status === 'failed' ? undefined : outcome.summary,
        progress: outcome.status === 'failed' ? task.progress : 1,
        counts: report.counts,
        errors: report.errors,
        result: file && {
          filename: file.filename,
          contentType: file.contentType,
          size: file.bytes.length,
          expireTime: ttl === undefined ? undefined : now + ttl * 1000,
        },
      },
      now,
    );
    if (!finished && file) {
      await results.remove(task.taskId);
    }
    run.ctx.log.info('task_finished', {
      status: outcome.status,
      durationMs: now - task.createTime,
    });
  }

  async function concludeSafely(run: Running, outcome: Final): Promise<void> {
    try {
      await conclude(run, outcome);
    } catch (err) {
      run.ctx.log.error('task_conclude_failed', { error: err });
      await conclude(run, { status: 'failed', reason: reasonOf(err, run.task.taskId) });
    }
  }

  async function step(run: Running): Promise<StepOutcome> {
    run.ctx.begin();
    try {
      return await run.job.step();
    } catch (err) {
      if (!(err instanceof AppError)) {
        run.ctx.log.error('task_step_failed', { error: err });
      }
      return { status: 'failed', reason: reasonOf(err, run.task.taskId) };
    }
  }

  async function drive(run: Running): Promise<void> {
    for (;;) {
      if (stopping) {
        return;
      }
      const outcome = await step(run);
      if (outcome.status !== 'continue') {
        return concludeSafely(run, outcome);
      }
      const progress = {
        progress: outcome.progress,
        checkpoint: run.resume ? outcome.checkpoint : undefined,
        counts: run.report.counts,
        errors: run.report.errors,
      };
      if (!(await repository.saveProgress(run.task.taskId, progress, Date.now()))) {
        run.ctx.log.info('task_stopped', { progress: outcome.progress });
        return;
      }
      run.task.progress = outcome.progress;
      await pause(settings.pauseMs);
    }
  }

  async function runTask(task: TaskRow): Promise<void> {
    let opened: Running | Final;
    try {
      opened = await open(task);
    } catch (err) {
      logger.error('task_open_failed', { taskId: task.taskId, error: err });
      opened = { status: 'failed', reason: reasonOf(err, task.taskId) };
    }
    if ('job' in opened) {
      return drive(opened);
    }
    const report = new JobReport(task.counts, task.errors);
    const failed = opened;
    const job = { step: async () => failed };
    const run = { task, report, job, ctx: contextOf(task, report), resume: false };
    await concludeSafely(run, failed);
  }

  async function idle(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, settings.idlePollMs ?? 5000);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wakeUp = undefined;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        const task = await repository.claimNext(Date.now());
        await (task ? runTask(task) : idle());
      } catch (err) {
        logger.error('task_worker_failed', { error: err });
        await idle();
      }
    }
  }

  const running = loop();
  return {
    wake: () => wakeUp?.(),
    stop: async () => {
      stopping = true;
      wakeUp?.();
      await running;
    },
  };
}
