/** Public face of the tasks module: background tasks, their schedules and their routes. */
export type { DescriptorExtractor } from './kinds/additional-extraction.ts';
export type { ScheduleService } from './schedule-service.ts';
export type { TaskService } from './task-service.ts';
export {
  TASK_KINDS,
  TASK_STATUSES,
  type TaskKind,
  type TaskRow,
  type TaskStatus,
} from './task-types.ts';
export { createTasksModule, type TasksDeps, type TasksModule } from './tasks-module.ts';
