/**
 * `cross_match`: N:M matching between a reference set and a candidate set (faces or events by
 * filters, or temporary attributes by id): for each reference the best `limit` candidates at or
 * above the threshold, itself excluded. Exact scan; read-only, so after a restart it starts over.
 */
import * as z from 'zod';
import type { AttributeService } from '../../attributes/index.ts';
import { EVENT_CANDIDATES } from '../../events/index.ts';
import { ID } from '../../http/index.ts';
import { cosineToSimilarity, DEFAULT_THRESHOLD, similarityToCosine } from '../../matcher/index.ts';
import { DescriptorLoader } from '../internal/descriptor-loader.ts';
import { DescriptorRows } from '../internal/descriptor-rows.ts';
import { NeighbourScan } from '../internal/neighbour-scan.ts';
import { COMMON_FIELDS, FACE_FILTERS } from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { jsonResult } from './result-files.ts';
import { type ItemSources, pagerOf } from './sources.ts';

const D = 512;

const ATTRIBUTE_FILTERS = z.strictObject({
  origin: z.literal('attributes'),
  attribute_ids: z.array(ID).min(1).max(1000),
});

const SET = z.strictObject({
  filters: z.discriminatedUnion('origin', [FACE_FILTERS, ATTRIBUTE_FILTERS, EVENT_CANDIDATES]),
});

const SCHEMA = z.strictObject({
  ...COMMON_FIELDS,
  references: SET,
  candidates: SET,
  /** Matches kept per reference. */
  limit: z.int().min(1).max(100).default(3),
  /** Lowest similarity (0–1) kept. */
  threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLD),
});

type Params = z.infer<typeof SCHEMA>;
type SetFilters = z.infer<typeof SET>['filters'];

/** What cross-matching reads. */
export interface CrossMatchDeps extends ItemSources {
  attributes: AttributeService;
}

/** One reference of the result with its matches, best first. */
export interface CrossMatchRow {
  reference_id: string;
  matches: { candidate_id: string; similarity: number }[];
}

/** Loads one side: faces or events page by page, or attributes one by one. */
class SideLoader {
  readonly rows: DescriptorRows;
  done = false;
  private readonly paged: DescriptorLoader | undefined;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: CrossMatchDeps,
    private readonly filters: SetFilters,
  ) {
    this.paged =
      filters.origin === 'attributes'
        ? undefined
        : new DescriptorLoader(pagerOf(deps, ctx.accountId, filters), (id) =>
            ctx.itemError(id, 'no descriptor of the matching version'),
          );
    this.rows = this.paged?.rows ?? new DescriptorRows();
  }

  async load(): Promise<void> {
    if (this.paged) {
      this.done = await this.paged.load(() => this.ctx.sliceOver());
      return;
    }
    if (this.filters.origin === 'attributes') {
      for (const id of this.filters.attribute_ids) {
        await this.loadAttribute(id);
      }
    }
    this.done = true;
  }

  private async loadAttribute(id: string): Promise<void> {
    const record = await this.deps.attributes.get(this.ctx.accountId, id).catch(() => undefined);
    if (!record?.descriptor || record.descriptorVersion !== this.deps.version) {
      this.ctx.itemError(id, 'attribute missing, expired, or without a matching descriptor');
      return;
    }
    this.rows.push(id, record.descriptor);
  }
}

class CrossMatchJob implements TaskJob {
  private readonly references: SideLoader;
  private readonly candidates: SideLoader;
  private readonly minCos: number;
  private readonly out: CrossMatchRow[] = [];
  private scan: NeighbourScan | undefined;
  private queries: Float32Array = new Float32Array(0);
  private next = 0;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: CrossMatchDeps,
    private readonly params: Params,
  ) {
    this.references = new SideLoader(ctx, deps, params.references.filters);
    this.candidates = new SideLoader(ctx, deps, params.candidates.filters);
    this.minCos = similarityToCosine(params.threshold, deps.calibration);
  }

  async step(): Promise<StepOutcome> {
    for (const side of [this.candidates, this.references]) {
      if (!side.done) {
        await side.load();
        return { status: 'continue', progress: 0.05 };
      }
    }
    this.scan ??= this.startScan();
    const total = this.references.rows.size;
    while (this.next < total && !this.ctx.sliceOver()) {
      this.matchBlock(this.scan, Math.min(this.scan.blockSize(), total - this.next));
    }
    if (this.next < total) {
      return { status: 'continue', progress: 0.1 + (0.9 * this.next) / total };
    }
    return this.finish();
  }

  private startScan(): NeighbourScan {
    this.queries = this.references.rows.matrix();
    this.ctx.count('references', this.references.rows.size);
    this.ctx.count('candidates', this.candidates.rows.size);
    return new NeighbourScan(this.candidates.rows.matrix(), this.candidates.rows.size);
  }

  private matchBlock(scan: NeighbourScan, count: number): void {
    const from = this.next;
    const refIds = this.references.rows.ids;
    const candIds = this.candidates.rows.ids;
    const rows: CrossMatchRow[] = Array.from({ length: count }, (_, q) => ({
      reference_id: refIds[from + q]!,
      matches: [],
    }));
    const block = this.queries.slice(from * D, (from + count) * D);
    const calibration = this.deps.calibration;
    scan.search(block, count, this.params.limit + 1, (q, row, cosine) => {
      const row_ = rows[q]!;
      const candidate = candIds[row]!;
      if (cosine >= this.minCos && candidate !== row_.reference_id) {
        row_.matches.push({
          candidate_id: candidate,
          similarity: cosineToSimilarity(cosine, calibration),
        });
      }
    });
    for (const r of rows) {
      r.matches.sort(
        (a, b) => b.similarity - a.similarity || (a.candidate_id < b.candidate_id ? -1 : 1),
      );
      r.matches.length = Math.min(r.matches.length, this.params.limit);
      this.ctx.count('pairs', r.matches.length);
      this.out.push(r);
    }
    this.next += count;
  }

  private finish(): StepOutcome {
    const result = {
      threshold: this.params.threshold,
      limit: this.params.limit,
      descriptor_version: this.deps.version,
      references: this.out,
    };
    return {
      status: 'ok',
      result: jsonResult('cross_match', this.ctx.taskId, result),
      summary: {
        references: this.out.length,
        candidates: this.candidates.rows.size,
        references_matched: this.out.filter((r) => r.matches.length > 0).length,
        pairs: this.out.reduce((s, r) => s + r.matches.length, 0),
      },
    };
  }
}

/** The cross-match kind. */
export function crossMatchKind(deps: CrossMatchDeps) {
  return defineKind({
    kind: 'cross_match',
    summary: 'Match every reference against every candidate (faces, events or attributes)',
    schema: SCHEMA,
    afterRestart: 'restart',
    open: (ctx, params) => new CrossMatchJob(ctx, deps, params),
  });
}
