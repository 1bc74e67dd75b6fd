/**
 * `estimator`: a handler run over a zip archive or a folder of images on the box, one event per
 * image. It needs the handlers module, which this build does not have yet, so the body is
 * accepted in shape and refused naming `handler_id`; nothing is queued.
 */
import * as z from 'zod';
import { ID } from '../../http/index.ts';
import { COMMON_FIELDS } from '../task-schemas.ts';
import { defineKind } from './kind.ts';

/** Why the estimator is refused: what this build lacks. */
export const HANDLERS_MISSING =
  'the estimator is not available yet: it needs the handlers module ' +
  '(src/handlers/index.ts exporting a service that runs a stored handler on image bytes)';

const SOURCE = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('zip'), path: z.string().min(1).max(4096) }),
  z.strictObject({ type: z.literal('folder'), path: z.string().min(1).max(4096) }),
]);

const SCHEMA = z
  .strictObject({ ...COMMON_FIELDS, handler_id: ID, source: SOURCE })
  .superRefine((_, ctx) =>
    ctx.addIssue({ code: 'custom', path: ['handler_id'], message: HANDLERS_MISSING }),
  );

/** The estimator kind (refused at validation in this build). */
export function estimatorKind() {
  return defineKind({
    kind: 'estimator',
    summary: 'Run a handler over a zip archive or a folder of images (not available yet)',
    schema: SCHEMA,
    afterRestart: 'restart',
    open: () => ({ step: async () => ({ status: 'failed', reason: HANDLERS_MISSING }) }),
  });
}
