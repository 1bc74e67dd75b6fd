/**
 * `clustering`: faces or events grouped by descriptor similarity. Neighbours above the threshold
 * come from an exact scan (an HNSW graph past 20,000 items); groups then merge by average
 * linkage, so clusters stay pure when a few look-alike pairs cross the threshold. Events of one
 * track can be forced together. Read-only: after a restart it starts over.
 */
import * as z from 'zod';
import { DEFAULT_THRESHOLD, similarityToCosine } from '../../matcher/index.ts';
import { AverageLinkage, EdgeList } from '../internal/average-linkage.ts';
import { DescriptorLoader } from '../internal/descriptor-loader.ts';
import { HnswScan } from '../internal/hnsw-scan.ts';
import { NeighbourScan } from '../internal/neighbour-scan.ts';
import { COMMON_FIELDS, FACE_OR_EVENT_FILTERS } from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { jsonResult } from './result-files.ts';
import { type ItemSources, pagerOf } from './sources.ts';

/** Neighbours proposed per face; larger groups still join through their members' edges. */
const NEIGHBOURS = 48;
/** Above this many faces neighbours come from an HNSW graph (exact scan cost grows as n²). */
export const EXACT_MAX_FACES = 20_000;
/** Edges merged between two looks at the clock. */
const EDGES_PER_CHECK = 20_000;
const D = 512;

const SCHEMA = z
  .strictObject({
    ...COMMON_FIELDS,
    filters: FACE_OR_EVENT_FILTERS,
    /** Similarity (0–1) a group's mean cross pair must reach to merge. */
    threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLD),
    /** Events only: events of one track always share a cluster. */
    group_by_track_id: z.boolean().default(false),
  })
  .refine((b) => !b.group_by_track_id || b.filters.origin === 'events', {
    path: ['group_by_track_id'],
    message: 'tracks group events; give filters with origin events',
  });

/** One cluster of the result (`face_ids` or `event_ids` after the origin). */
export interface ClusterView {
  face_ids?: string[];
  event_ids?: string[];
  size: number;
  representative: string;
}

/** Rows that share a group id (a track), as lists of row indices. */
function sameGroup(groups: (string | undefined)[]): number[][] {
  const rows = new Map<string, number[]>();
  groups.forEach((group, row) => {
    const same = group === undefined ? undefined : rows.get(group);
    if (same) {
      same.push(row);
    } else if (group !== undefined) {
      rows.set(group, [row]);
    }
  });
  return [...rows.values()].filter((r) => r.length > 1);
}

type Neighbours = NeighbourScan | HnswScan;

function neighbourEdges(scan: Neighbours, matrix: Float32Array, from: number, minCos: number) {
  const count = Math.min(scan.blockSize(), scan.n - from);
  const edges: [number, number, number][] = [];
  scan.search(matrix.slice(from * D, (from + count) * D), count, NEIGHBOURS + 1, (q, row, c) => {
    if (row !== from + q && c >= minCos) {
      edges.push([from + q, row, c]);
    }
  });
  return { count, edges };
}

class ClusteringJob implements TaskJob {
  private readonly loader: DescriptorLoader;
  private readonly edges = new EdgeList();
  private scan: Neighbours | undefined;
  private linkage: AverageLinkage | undefined;
  private matrix: Float32Array = new Float32Array(0);
  private next = 0;
  private readonly minCos: number;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: ItemSources,
    private readonly params: z.infer<typeof SCHEMA>,
  ) {
    this.minCos = similarityToCosine(params.threshold, deps.calibration);
    this.loader = new DescriptorLoader(pagerOf(deps, ctx.accountId, params.filters), () =>
      ctx.count('without_descriptor'),
    );
  }

  async step(): Promise<StepOutcome> {
    if (!this.loader.done) {
      await this.loader.load(() => this.ctx.sliceOver());
      return { status: 'continue', progress: 0.2 * this.loader.progress };
    }
    this.scan ??= this.startScan();
    if (this.scan instanceof HnswScan && this.scan.built < 1) {
      const graph = this.scan;
      while (!graph.build() && !this.ctx.sliceOver()) {}
      return { status: 'continue', progress: 0.2 + 0.4 * graph.built };
    }
    const from = this.scan instanceof HnswScan ? 0.6 : 0.2;
    while (this.next < this.scan.n && !this.ctx.sliceOver()) {
      const { count, edges } = neighbourEdges(this.scan, this.matrix, this.next, this.minCos);
      for (const [a, b, c] of edges) {
        this.edges.push(a, b, c);
      }
      this.next += count;
    }
    if (this.next < this.scan.n) {
      return { status: 'continue', progress: from + ((0.95 - from) * this.next) / this.scan.n };
    }
    this.linkage ??= this.startLinkage(this.scan.n);
    let linked = false;
    while (!linked && !this.ctx.sliceOver()) {
      linked = this.linkage.advance(EDGES_PER_CHECK);
    }
    return linked ? this.finish(this.linkage) : { status: 'continue', progress: 0.96 };
  }

  private startScan(): Neighbours {
    const n = this.loader.rows.size;
    this.matrix = this.loader.rows.matrix();
    this.ctx.count('faces', n);
    return n > EXACT_MAX_FACES ? new HnswScan(this.matrix, n) : new NeighbourScan(this.matrix, n);
  }

  private startLinkage(n: number): AverageLinkage {
    const linkage = new AverageLinkage(this.matrix, n, this.edges, this.minCos);
    if (this.params.group_by_track_id) {
      for (const rows of sameGroup(this.loader.groups)) {
        for (const row of rows) {
          linkage.join(rows[0]!, row);
        }
        this.ctx.count('tracks_joined');
      }
    }
    return linkage;
  }

  private finish(linkage: AverageLinkage): StepOutcome {
    const ids = this.loader.rows.ids;
    const clusters = linkage.clusters();
    const key = this.params.filters.origin === 'events' ? 'event_ids' : 'face_ids';
    const views: ClusterView[] = clusters.map((c) => ({
      [key]: c.members.map((i) => ids[i]!),
      size: c.members.length,
      representative: ids[c.representative]!,
    }));
    this.ctx.count('candidate_pairs', this.edges.length);
    const result = {
      origin: this.params.filters.origin,
      threshold: this.params.threshold,
      descriptor_version: this.deps.version,
      neighbour_search: this.scan instanceof HnswScan ? 'hnsw' : 'exact',
      face_count: ids.length,
      clusters: views,
    };
    return {
      status: 'ok',
      result: jsonResult('clustering', this.ctx.taskId, result),
      summary: {
        clusters: views.length,
        faces: ids.length,
        largest: views[0]?.size ?? 0,
        singletons: views.filter((v) => v.size === 1).length,
      },
    };
  }
}

/** The clustering kind. */
export function clusteringKind(deps: ItemSources) {
  return defineKind({
    kind: 'clustering',
    summary: 'Group faces by descriptor similarity',
    schema: SCHEMA,
    afterRestart: 'restart',
    open: (ctx, params) => new ClusteringJob(ctx, deps, params),
  });
}
