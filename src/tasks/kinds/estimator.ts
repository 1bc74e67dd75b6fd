/**
 * `estimator`: a stored handler run over every image of a zip archive or a folder inside the
 * import folder, one request per image (so one image's events are saved together), with
 * per-image errors collected. The index of the next image is checkpointed, so a restart
 * resumes; an image interrupted between its save and the checkpoint may get its events twice.
 */
import * as z from 'zod';
import { AppError } from '../../errors/index.ts';
import { SOURCE } from '../../events/index.ts';
import type { HandlersModule } from '../../handlers/index.ts';
import { sniffContentType } from '../../handlers/index.ts';
import { ID } from '../../http/index.ts';
import { type ImageSource, ImageSourceError, openImageSource } from '../internal/image-source.ts';
import { ZipFormatError } from '../internal/zip-reader.ts';
import { COMMON_FIELDS, fieldError } from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { jsonResult } from './result-files.ts';

const SCHEMA = z.strictObject({
  ...COMMON_FIELDS,
  handler_id: ID,
  /** A zip archive or a folder, as a path inside the import folder. */
  source: z.strictObject({
    type: z.enum(['zip', 'folder']),
    path: z.string().min(1).max(1024),
  }),
  /** `source` of the events made (camera, door…); default the archive or folder path. */
  event_source: SOURCE.optional(),
  use_exif_info: z.boolean().default(true),
});

type Params = z.infer<typeof SCHEMA>;

/** What the estimator uses. */
export interface EstimatorDeps {
  handlers: Pick<HandlersModule, 'handlers' | 'generator'>;
  /** The only folder sources are read from. */
  importDir: string;
  /** Largest image read from an archive, in bytes. */
  maxImageBytes: number;
}

/** One image's outcome in the result. */
interface ImageOutcome {
  filename: string;
  status: 'ok' | 'failed';
  event_ids?: string[];
  error?: string;
}

class EstimatorJob implements TaskJob {
  private source: ImageSource | undefined;
  private readonly outcomes: ImageOutcome[] = [];

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: EstimatorDeps,
    private readonly params: Params,
    private readonly at: { next: number },
  ) {}

  async step(): Promise<StepOutcome> {
    this.source ??= await this.open();
    const total = this.source.names.length;
    while (this.at.next < total && !this.ctx.sliceOver()) {
      this.outcomes.push(await this.estimate(this.source, this.at.next));
      this.at.next++;
    }
    if (this.at.next < total) {
      return { status: 'continue', progress: this.at.next / total, checkpoint: this.at };
    }
    const summary = { images: total, events: this.ctx.counts.events ?? 0 };
    const result = { handler_id: this.params.handler_id, ...summary, outcomes: this.outcomes };
    return { status: 'ok', result: jsonResult('estimator', this.ctx.taskId, result), summary };
  }

  private async open(): Promise<ImageSource> {
    try {
      return await openImageSource(
        this.deps.importDir,
        this.params.source,
        this.deps.maxImageBytes,
      );
    } catch (err) {
      throw err instanceof ImageSourceError ? new AppError('bad_request', err.message) : err;
    }
  }

  private async estimate(source: ImageSource, index: number): Promise<ImageOutcome> {
    const filename = source.names[index]!;
    try {
      const bytes = await source.read(index);
      const result = await this.deps.handlers.generator.generate(
        { accountId: this.ctx.accountId, readScope: this.ctx.accountId },
        this.params.handler_id,
        async () => ({
          images: [{ filename, bytes, contentType: sniffContentType(bytes, ''), imageType: 'raw' }],
          descriptors: [],
          policies: undefined,
          options: {
            source: this.params.event_source ?? this.params.source.path,
            tags: [],
            aggregate: false,
            useExif: this.params.use_exif_info,
          },
        }),
      );
      const eventIds = result.events.map((e) => e.event.eventId);
      this.ctx.count('images');
      this.ctx.count('events', eventIds.length);
      return { filename, status: 'ok', event_ids: eventIds };
    } catch (err) {
      const expected = err instanceof AppError || err instanceof ZipFormatError;
      if (!expected) {
        this.ctx.log.error('estimator_image_failed', { filename, error: err });
      }
      const error = expected ? err.message : 'internal error (appliance log)';
      this.ctx.itemError(filename, error);
      return { filename, status: 'failed', error };
    }
  }
}

/** The estimator kind. */
export function estimatorKind(deps: EstimatorDeps) {
  return defineKind({
    kind: 'estimator',
    summary: 'Run a handler over a zip archive or a folder of images on the box',
    schema: SCHEMA,
    afterRestart: 'resume',
    async prepare(accountId, params) {
      await deps.handlers.handlers.get(accountId, params.handler_id);
      try {
        await openImageSource(deps.importDir, params.source, deps.maxImageBytes);
      } catch (err) {
        if (err instanceof ImageSourceError) {
          throw fieldError('body.source.path', err.message);
        }
        throw err;
      }
      return { next: 0 };
    },
    open: (ctx, params, checkpoint) =>
      new EstimatorJob(ctx, deps, params, { ...(checkpoint as { next: number }) }),
  });
}
