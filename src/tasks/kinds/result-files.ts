/** Builders of the result files kinds hand back: JSON, CSV and zip, named after the task. */
import { createZip, type ZipInput } from '../internal/zip-writer.ts';
import type { ResultFile } from '../task-types.ts';

/** A JSON result named `<kind>-<task id>.json`. */
export function jsonResult(kind: string, taskId: string, value: unknown): ResultFile {
  return {
    filename: `${kind}-${taskId}.json`,
    contentType: 'application/json',
    bytes: new TextEncoder().encode(JSON.stringify(value)),
  };
}

/** A CSV result named `<kind>-<task id>.csv`. */
export function csvResult(kind: string, taskId: string, text: string): ResultFile {
  return {
    filename: `${kind}-${taskId}.csv`,
    contentType: 'text/csv; charset=utf-8',
    bytes: new TextEncoder().encode(text),
  };
}

/** A zip result named `<kind>-<task id>.zip`. */
export function zipResult(kind: string, taskId: string, entries: ZipInput[]): ResultFile {
  return {
    filename: `${kind}-${taskId}.zip`,
    contentType: 'application/zip',
    bytes: createZip(entries),
  };
}
