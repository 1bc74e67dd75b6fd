/**
 * `linker`: the faces a filter picks (or the faces of the events it picks) attached to a list,
 * the list created first if asked.
 * Batches go through the face service (rows, then the matcher's gallery), are idempotent, and
 * the cursor is checkpointed after each step, so a restart resumes where it stopped. The id of a
 * list to create is fixed at creation, so a resumed task never makes a second list.
 */
import * as z from 'zod';
import { notFound } from '../../errors/index.ts';
import type { FaceService } from '../../faces/index.ts';
import { ID, USER_DATA } from '../../http/index.ts';
import type { ListRepository } from '../../lists/index.ts';
import type { EventScan } from '../internal/event-scan.ts';
import {
  cursorAfter,
  type FaceCursor,
  type FaceScanRepository,
} from '../internal/face-scan-repository.ts';
import {
  COMMON_FIELDS,
  eventFiltersOf,
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

/** Where a linker stands: the list, and the last face or event done. */
interface LinkerCheckpoint {
  listId: string;
  after: FaceCursor | null;
  /** Events origin: the oldest event done (events are read newest first). */
  before?: string | null;
}

/** What the linker uses. */
export interface LinkerDeps {
  faces: FaceService;
  scan: FaceScanRepository;
  events: EventScan;
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
    let more = true;
    do {
      more = await this.batch();
    } while (more && !this.ctx.sliceOver());
    if (!more) {
      return this.finish();
    }
    const progress = this.total ? (this.ctx.counts.linked ?? 0) / Math.max(this.total, 1) : 0.5;
    return { status: 'continue', progress, checkpoint: this.at };
  }

  /** Attaches one batch; true while more may remain. */
  private async batch(): Promise<boolean> {
    const { accountId } = this.ctx;
    const limit = this.params.batch_size;
    const filters = this.params.filters;
    if (filters.origin === 'events') {
      const page = await this.deps.events.page(
        accountId,
        eventFiltersOf(filters),
        this.at.before ?? undefined,
        limit,
      );
      const faceIds = [...new Set(page.flatMap((e) => (e.faceId ? [e.faceId] : [])))];
      this.ctx.count('events', page.length);
      await this.attach(await this.existing(faceIds));
      this.at.before = page.at(-1)?.eventId ?? this.at.before;
      return page.length === limit;
    }
    const filter = faceFilterOf(filters);
    this.total ??= await this.deps.scan.count(accountId, filter);
    const after = this.at.after ?? undefined;
    const page = await this.deps.scan.page(accountId, filter, { after, limit });
    await this.attach(page.map((f) => f.faceId));
    this.at.after = cursorAfter(page) ?? this.at.after;
    return page.length === limit;
  }

  /** Those of the faces events point at that still exist. */
  private async existing(faceIds: string[]): Promise<string[]> {
    if (faceIds.length === 0) {
      return [];
    }
    const page = await this.deps.scan.page(
      this.ctx.accountId,
      { faceIds },
      { limit: faceIds.length },
    );
    this.ctx.count('faces_gone', faceIds.length - page.length);
    return page.map((f) => f.faceId);
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
    if (faceIds.length === 0) {
      return;
    }
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
      return { listId: params.list_id ?? crypto.randomUUID(), after: null, before: null };
    },
    open: (ctx, params, checkpoint) =>
      new LinkerJob(ctx, deps, params, { ...(checkpoint as LinkerCheckpoint) }),
  });
}
