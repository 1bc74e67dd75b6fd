/**
 * `clustering`: faces grouped by descriptor similarity. Neighbours above the threshold come
 * from an exact scan; groups then merge by average linkage, so clusters stay pure when a few
 * look-alike pairs cross the threshold. Read-only: after a restart it starts over.
 */
import * as z from 'zod';
import { calibrationOf, DEFAULT_THRESHOLD, similarityToCosine } from '../../matcher/index.ts';
import { clusterByAverageLinkage, EdgeList } from '../internal/average-linkage.ts';
import { FaceLoader } from '../internal/face-loader.ts';
import type { FaceScanRepository } from '../internal/face-scan-repository.ts';
import { NeighbourScan } from '../internal/neighbour-scan.ts';
import {
  asFaceFilters,
  COMMON_FIELDS,
  FACE_OR_EVENT_FILTERS,
  faceFilterOf,
} from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { jsonResult } from './result-files.ts';

/** Neighbours proposed per face; larger groups still join through their members' edges. */
const NEIGHBOURS = 48;
const D = 512;

const SCHEMA = z.strictObject({
  ...COMMON_FIELDS,
  filters: FACE_OR_EVENT_FILTERS,
  /** Similarity (0–1) a group's mean cross pair must reach to merge. */
  threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLD),
});

/** What clustering reads. */
export interface ClusteringDeps {
  faces: FaceScanRepository;
  /** Descriptor version matching uses. */
  version: string;
}

/** One cluster of the result. */
export interface ClusterView {
  face_ids: string[];
  size: number;
  representative: string;
}

function neighbourEdges(scan: NeighbourScan, matrix: Float32Array, from: number, minCos: number) {
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
  private readonly loader: FaceLoader;
  private readonly edges = new EdgeList();
  private scan: NeighbourScan | undefined;
  private matrix: Float32Array = new Float32Array(0);
  private next = 0;
  private readonly minCos: number;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: ClusteringDeps,
    private readonly params: z.infer<typeof SCHEMA>,
  ) {
    this.minCos = similarityToCosine(params.threshold, calibrationOf(deps.version));
    this.loader = new FaceLoader({
      repository: deps.faces,
      accountId: ctx.accountId,
      filter: faceFilterOf(asFaceFilters(params.filters)),
      version: deps.version,
      onMissing: () => ctx.count('without_descriptor'),
    });
  }

  async step(): Promise<StepOutcome> {
    if (!this.loader.done) {
      await this.loader.load(() => this.ctx.sliceOver());
      return { status: 'continue', progress: 0.2 * this.loader.progress };
    }
    this.scan ??= this.startScan();
    while (this.next < this.scan.n && !this.ctx.sliceOver()) {
      const { count, edges } = neighbourEdges(this.scan, this.matrix, this.next, this.minCos);
      for (const [a, b, c] of edges) {
        this.edges.push(a, b, c);
      }
      this.next += count;
    }
    if (this.next < this.scan.n) {
      return { status: 'continue', progress: 0.2 + (0.75 * this.next) / this.scan.n };
    }
    return this.finish();
  }

  private startScan(): NeighbourScan {
    this.matrix = this.loader.rows.matrix();
    this.ctx.count('faces', this.loader.rows.size);
    return new NeighbourScan(this.matrix, this.loader.rows.size);
  }

  private finish(): StepOutcome {
    const ids = this.loader.rows.ids;
    const clusters = clusterByAverageLinkage(this.matrix, ids.length, this.edges, this.minCos);
    const views: ClusterView[] = clusters.map((c) => ({
      face_ids: c.members.map((i) => ids[i]!),
      size: c.members.length,
      representative: ids[c.representative]!,
    }));
    this.ctx.count('candidate_pairs', this.edges.length);
    const result = {
      threshold: this.params.threshold,
      descriptor_version: this.deps.version,
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
export function clusteringKind(deps: ClusteringDeps) {
  return defineKind({
    kind: 'clustering',
    summary: 'Group faces by descriptor similarity',
    schema: SCHEMA,
    afterRestart: 'restart',
    open: (ctx, params) => new ClusteringJob(ctx, deps, params),
  });
}
