/**
 * `linker`: the faces a filter picks attached to a list, the list created first if asked.
 * Batches go through the face service (rows, then the matcher's gallery), are idempotent, and
 * the cursor is checkpointed after each step, so a restart resumes where it stopped. The id of a
 * list to create is fixed at creation, so a resumed task never makes a second list.
 */
import * as z from 'zod';
import { notFound } from '../../errors/index.ts';
import type { FaceService } from '../../faces/index.ts';
import { ID, USER_DATA } from '../../http/index.ts';
import type { ListRepository } from '../../lists/index.ts';
import {
  cursorAfter,
  type FaceCursor,
  type FaceScanRepository,
} from '../internal/face-scan-repository.ts';
import {
  asFaceFilters,
  COMMON_FIELDS,
  FACE_OR_EVENT_FILTERS,
  faceFilterOf,
} from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { jsonResult } from './result-files.ts';

const SCHEMA = z
  .strictObject({
    ...COMMON_FIELDS,
    filters: FACE_OR_EVENT_FILTERS,
    /** An existing list to attach to… */
    list_id: ID.optional(),
    /** …or a list to create. */
    create_list: z.strictObject({ user_data: USER_DATA.default('') }).optional(),
    /** Faces attached per batch. */
    batch_size: z.int().min(1).max(1000).default(500),
  })
  .refine((b) => (b.list_id === undefined) !== (b.create_list === undefined), {
    path: ['list_id'],
    message: 'give either list_id or create_list',
  });

type Params = z.infer<typeof SCHEMA>;

/** Where a linker stands. */
interface LinkerCheckpoint {
  listId: string;
  after: FaceCursor | null;
}

/** What the linker uses. */
export interface LinkerDeps {
  faces: FaceService;
  scan: FaceScanRepository;
  lists: ListRepository;
}

class LinkerJob implements TaskJob {
  private ensured = false;
  private total: number | undefined;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: LinkerDeps,
    private readonly params: Params,
    private readonly at: LinkerCheckpoint,
  ) {}

  async step(): Promise<StepOutcome> {
    await this.ensureList();
    const filter = faceFilterOf(asFaceFilters(this.params.filters));
    this.total ??= await this.deps.scan.count(this.ctx.accountId, filter);
    let size = 0;
    do {
      const page = await this.deps.scan.page(this.ctx.accountId, filter, {
        after: this.at.after ?? undefined,
        limit: this.params.batch_size,
      });
      size = page.length;
      if (size > 0) {
        await this.attach(page.map((f) => f.faceId));
      }
      this.at.after = cursorAfter(page) ?? this.at.after;
    } while (size === this.params.batch_size && !this.ctx.sliceOver());
    if (size === this.params.batch_size) {
      const progress = (this.ctx.counts.linked ?? 0) / Math.max(this.total, 1);
      return { status: 'continue', progress, checkpoint: this.at };
    }
    return this.finish();
  }

  private async ensureList(): Promise<void> {
    if (this.ensured) {
      return;
    }
    const { lists } = this.deps;
    const exists = await lists.find(this.ctx.accountId, this.at.listId);
    if (!exists && this.params.create_list) {
      const now = Date.now();
      await lists.insert({
        listId: this.at.listId,
        accountId: this.ctx.accountId,
        createTime: now,
        lastUpdateTime: now,
        userData: this.params.create_list.user_data,
      });
      this.ctx.count('lists_created');
    } else if (!exists) {
      throw notFound('list', this.at.listId);
    }
    this.ensured = true;
  }

  private async attach(faceIds: string[]): Promise<void> {
    await this.deps.faces.link(this.ctx.accountId, {
      action: 'attach',
      listId: this.at.listId,
      faceIds,
    });
    this.ctx.count('linked', faceIds.length);
  }

  private finish(): StepOutcome {
    const result = { list_id: this.at.listId, linked: this.ctx.counts.linked ?? 0 };
    return {
      status: 'ok',
      result: jsonResult('linker', this.ctx.taskId, result),
      summary: { ...result, list_created: this.params.create_list !== undefined },
    };
  }
}

/** The linker kind. */
export function linkerKind(deps: LinkerDeps) {
  return defineKind({
    kind: 'linker',
    summary: 'Attach the faces a filter picks to a list (created if asked)',
    schema: SCHEMA,
    afterRestart: 'resume',
    async prepare(accountId, params): Promise<LinkerCheckpoint> {
      if (params.list_id && !(await deps.lists.existing(accountId, [params.list_id])).size) {
        throw notFound('list', params.list_id);
      }
      return { listId: params.list_id ?? crypto.randomUUID(), after: null };
    },
    open: (ctx, params, checkpoint) =>
      new LinkerJob(ctx, deps, params, { ...(checkpoint as LinkerCheckpoint) }),
  });
}
