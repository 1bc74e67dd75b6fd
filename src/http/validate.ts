/** Edge validation: runs a zod schema and turns its issues into one 400 naming the fields. */
import type { z } from 'zod';
import { AppError } from '../errors/index.ts';

/** Where a value came from, used as the first element of each issue path. */
export type InputPart = 'params' | 'query' | 'body';

/** Parses `value` with `schema` or throws `validation_failed` listing each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, part: InputPart) {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data as z.infer<S>;
  }
  const issues = result.error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    code: issue.code,
    message: issue.message,
  }));
  const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new AppError('validation_failed', detail, { issues });
}
