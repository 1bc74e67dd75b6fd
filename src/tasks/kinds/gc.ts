/**
 * `gc`: retention in batches. Samples older than a cutoff that no face holds (rows, then their
 * files), temporary attributes older than a cutoff, every descriptor of a retired version, old
 * events picked by event filters (with their kept samples, photos and attribute), or only the
 * kept photos of such events. The cutoff is fixed when the task is created; batches are
 * idempotent and the cursor is checkpointed, so a restart resumes.
 */
import * as z from 'zod';
import { EVENT_FILTERS, type EventRemover, type RemovalBatch } from '../../events/index.ts';
import type { FileStore } from '../../images/index.ts';
import type { GcRepository, SampleCursor } from '../internal/gc-repository.ts';
import { COMMON_FIELDS, fieldError } from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { jsonResult } from './result-files.ts';

/** What gc can remove. */
export const GC_TARGETS = [
  'samples',
  'attributes',
  'descriptors',
  'events',
  'origin_images',
] as const;

const EVENT_TARGETS = new Set(['events', 'origin_images']);

const SCHEMA = z
  .strictObject({
    ...COMMON_FIELDS,
    target: z.enum(GC_TARGETS),
    /** Remove what was created before this time… */
    create_time__lt: z.iso.datetime({ offset: true }).optional(),
    /** …or before this many seconds ago (counted from the task's creation). */
    older_than: z
      .int()
      .min(0)
      .max(100 * 366 * 24 * 3600)
      .optional(),
    /** For `descriptors`: the retired version to remove. */
    descriptor_version: z.string().min(1).max(64).optional(),
    /** For `events` and `origin_images`: which events, besides their age. */
    filters: EVENT_FILTERS.optional(),
    /** For `samples`: keep samples that faces hold (default). */
    keep_face_samples: z.boolean().default(true),
    batch_size: z.int().min(1).max(1000).default(500),
  })
  .superRefine((b, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (b.filters !== undefined && !EVENT_TARGETS.has(b.target)) {
      issue('filters', 'filters apply to the targets events and origin_images only');
    }
    const timed = b.target !== 'descriptors';
    if (timed && (b.create_time__lt === undefined) === (b.older_than === undefined)) {
      issue('older_than', 'give either older_than or create_time__lt');
    }
    if (b.target === 'descriptors' && b.descriptor_version === undefined) {
      issue('descriptor_version', 'give the descriptor version to remove');
    }
  });

type Params = z.infer<typeof SCHEMA>;

/** Where a gc task stands. */
interface GcCheckpoint {
  cutoff: number;
  /** Faces made from this time on are re-read before each batch of samples. */
  since: number;
  after: SampleCursor | null;
  /** Event id the last batch of `events` or `origin_images` ended on. */
  afterEvent?: string | null;
}

/** What gc uses. */
export interface GcDeps {
  repository: GcRepository;
  sampleFiles: FileStore;
  /** Removal of events and their kept photos (the events module). */
  events: EventRemover;
  /** Descriptor version matching uses (never removed). */
  servingVersion: string;
}

class GcJob implements TaskJob {
  private held: Set<string> | undefined;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: GcDeps,
    private readonly params: Params,
    private readonly at: GcCheckpoint,
  ) {}

  async step(): Promise<StepOutcome> {
    const version = this.params.descriptor_version;
    if (this.params.target === 'descriptors' && version === this.deps.servingVersion) {
      // Matching switched to this version after the task was created.
      return { status: 'failed', reason: `${version} is the version matching uses now` };
    }
    let more = true;
    while (more && !this.ctx.sliceOver()) {
      more = await this.batch();
    }
    if (more) {
      return { status: 'continue', progress: 0.5, checkpoint: this.at };
    }
    const removed = { ...this.ctx.counts };
    return {
      status: 'ok',
      result: jsonResult('gc', this.ctx.taskId, {
        target: this.params.target,
        cutoff: new Date(this.at.cutoff).toISOString(),
        removed,
      }),
      summary: { target: this.params.target, ...removed },
    };
  }

  /** One batch; true while more may remain. */
  private async batch(): Promise<boolean> {
    const { repository } = this.deps;
    const { accountId } = this.ctx;
    const limit = this.params.batch_size;
    if (this.params.target === 'attributes') {
      const n = await repository.deleteAttributes(accountId, this.at.cutoff, limit);
      this.ctx.count('attributes', n);
      return n === limit;
    }
    if (this.params.target === 'descriptors') {
      const version = this.params.descriptor_version!;
      const n = await repository.deleteDescriptors(accountId, version, limit);
      this.ctx.count('descriptors', n);
      return n === limit;
    }
    if (this.params.target === 'samples') {
      return this.sampleBatch(limit);
    }
    return this.eventBatch(limit);
  }

  private async eventBatch(limit: number): Promise<boolean> {
    const query = {
      filters: this.params.filters ?? {},
      createTimeLt: this.at.cutoff,
      now: this.at.since,
      after: this.at.afterEvent ?? undefined,
      limit,
    };
    const { events } = this.deps;
    const { accountId } = this.ctx;
    const done: RemovalBatch =
      this.params.target === 'events'
        ? await events.removeEvents(accountId, query)
        : await events.removeOrigins(accountId, query);
    if (this.params.target === 'events') {
      this.ctx.count('events', done.events);
      this.ctx.count('samples', done.samples);
      this.ctx.count('samples_kept', done.samplesKept);
    }
    this.ctx.count('origin_images', done.origins);
    this.at.afterEvent = done.last ?? this.at.afterEvent ?? null;
    return done.scanned === limit;
  }

  private async sampleBatch(limit: number): Promise<boolean> {
    const { repository, sampleFiles } = this.deps;
    const { accountId } = this.ctx;
    const old = await repository.oldSamples(
      accountId,
      this.at.cutoff,
      this.at.after ?? undefined,
      limit,
    );
    const held = await this.heldSamples();
    const doomed = old.map((s) => s.sampleId).filter((id) => !held.has(id));
    const removed = await repository.deleteSamples(accountId, doomed);
    // Rows first, then files: a crash in between leaves a stray file, never a row without one.
    await Promise.all(doomed.map((id) => sampleFiles.remove(id)));
    this.ctx.count('samples', removed);
    this.ctx.count('samples_kept', old.length - doomed.length);
    this.at.after = old.at(-1) ?? this.at.after;
    return old.length === limit;
  }

  private async heldSamples(): Promise<Set<string>> {
    if (!this.params.keep_face_samples) {
      return new Set();
    }
    const { repository } = this.deps;
    this.held ??= await repository.faceSampleIds(this.ctx.accountId, 0);
    const recent = await repository.faceSampleIds(this.ctx.accountId, this.at.since);
    return recent.size === 0 ? this.held : new Set([...this.held, ...recent]);
  }
}

function cutoffOf(params: Params, now: number): number {
  if (params.create_time__lt !== undefined) {
    return Date.parse(params.create_time__lt);
  }
  return now - (params.older_than ?? 0) * 1000;
}

/** The gc kind. */
export function gcKind(deps: GcDeps) {
  return defineKind({
    kind: 'gc',
    summary:
      'Remove old samples, attributes, events or their photos, or descriptors of a retired ' +
      'version, in batches',
    schema: SCHEMA,
    afterRestart: 'resume',
    async prepare(_accountId, params): Promise<GcCheckpoint> {
      if (params.target === 'descriptors' && params.descriptor_version === deps.servingVersion) {
        throw fieldError(
          'body.descriptor_version',
          `${deps.servingVersion} is the version matching uses; it cannot be removed`,
        );
      }
      const now = Date.now();
      return { cutoff: cutoffOf(params, now), since: now, after: null, afterEvent: null };
    },
    open: (ctx, params, checkpoint) =>
      new GcJob(ctx, deps, params, { ...(checkpoint as GcCheckpoint) }),
  });
}
