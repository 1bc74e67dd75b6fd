/** The API view of a task. */
import { isoTime } from '../http/index.ts';
import type { TaskRow } from './task-types.ts';

const optionalTime = (ms: number | undefined) => (ms === undefined ? null : isoTime(ms));

function resultView(task: TaskRow) {
  const r = task.result;
  if (!r) {
    return null;
  }
  return {
    url: `/6/tasks/${task.taskId}/result`,
    filename: r.filename,
    content_type: r.contentType,
    size: r.size,
    expire_time: optionalTime(r.expireTime),
    expired: r.removed,
  };
}

/** The API view of a task: status, progress, counts, errors and where its result is. */
export function taskView(task: TaskRow) {
  return {
    task_id: task.taskId,
    url: `/6/tasks/${task.taskId}`,
    kind: task.kind,
    status: task.status,
    description: task.description,
    progress: Math.round(task.progress * 10_000) / 10_000,
    counts: task.counts,
    errors: task.errors,
    reason: task.reason ?? null,
    summary: task.summary ?? null,
    attempts: task.attempts,
    schedule_id: task.scheduleId ?? null,
    create_time: isoTime(task.createTime),
    start_time: optionalTime(task.startTime),
    end_time: optionalTime(task.endTime),
    last_update_time: isoTime(task.lastUpdateTime),
    params: task.params,
    result: resultView(task),
  };
}
