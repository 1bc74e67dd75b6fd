/** Counts and per-item errors a job gathers while it runs, bounded in size. */
import type { ItemError, TaskCounts } from '../task-types.ts';

/** Per-item errors kept with a task; later ones are only counted. */
export const MAX_ITEM_ERRORS = 100;

/** The mutable report of one running task. */
export class JobReport {
  readonly counts: TaskCounts;
  readonly errors: ItemError[];

  constructor(counts: TaskCounts = {}, errors: ItemError[] = []) {
    this.counts = { ...counts };
    this.errors = [...errors];
  }

  /** Adds `by` to the count `name`. */
  count(name: string, by = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + by;
  }

  /** Keeps the failure of one item (counted under `item_errors`). */
  itemError(item: string, error: string): void {
    this.count('item_errors');
    if (this.errors.length < MAX_ITEM_ERRORS) {
      this.errors.push({ item, error });
    }
  }
}
