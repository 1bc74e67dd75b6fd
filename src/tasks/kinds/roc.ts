/**
 * `roc`: how well the box tells the customer's own people apart. Faces labelled by
 * `external_id` (same id, same person) give every genuine pair and all or a sample of the
 * impostor pairs; the result is a zip of the report, the threshold table and the plotted curve.
 * Read-only: after a restart it starts over.
 */
import * as z from 'zod';
import type { Calibration } from '../../matcher/index.ts';
import { DescriptorLoader, facePager } from '../internal/descriptor-loader.ts';
import type { FaceScanRepository } from '../internal/face-scan-repository.ts';
import { RocPairs } from '../internal/roc-pairs.ts';
import { COMMON_FIELDS, FACE_FILTERS, faceFilterOf } from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { zipResult } from './result-files.ts';
import { rocFiles, rocReport } from './roc-report.ts';

/** Pairs scored between two looks at the clock. */
const PAIRS_PER_CHECK = 20_000;

const SCHEMA = z.strictObject({
  ...COMMON_FIELDS,
  filters: FACE_FILTERS,
  /** Impostor pairs: all of them up to this many, else a uniform sample of this many. */
  impostor_pairs: z.int().min(1000).max(5_000_000).default(1_000_000),
  /** Seed of the impostor sample, for a repeatable report. */
  seed: z
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
});

type Params = z.infer<typeof SCHEMA>;

/** What the ROC reads. */
export interface RocDeps {
  faces: FaceScanRepository;
  /** Descriptor version matching uses. */
  version: string;
  calibration: Calibration;
}

class RocJob implements TaskJob {
  private readonly loader: DescriptorLoader;
  private pairs: RocPairs | undefined;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: RocDeps,
    private readonly params: Params,
  ) {
    const filter = { ...faceFilterOf(params.filters), labelled: true };
    this.loader = new DescriptorLoader(
      facePager(deps.faces, ctx.accountId, filter, deps.version),
      () => ctx.count('without_descriptor'),
    );
  }

  async step(): Promise<StepOutcome> {
    if (!this.loader.done) {
      await this.loader.load(() => this.ctx.sliceOver());
      return { status: 'continue', progress: 0.1 * this.loader.progress };
    }
    const rows = this.loader.rows;
    this.pairs ??= new RocPairs(
      rows.matrix(),
      this.loader.labels,
      this.params.impostor_pairs,
      this.params.seed,
    );
    let finished = false;
    while (!finished && !this.ctx.sliceOver()) {
      finished = this.pairs.advance(PAIRS_PER_CHECK);
    }
    return finished
      ? this.finish()
      : { status: 'continue', progress: 0.1 + 0.85 * this.pairs.progress };
  }

  private finish(): StepOutcome {
    const pairs = this.pairs!;
    this.ctx.count('faces', this.loader.rows.size);
    this.ctx.count('genuine_pairs', pairs.genuine.length);
    this.ctx.count('impostor_pairs', pairs.impostor.length);
    if (pairs.genuine.length === 0 || pairs.impostor.length === 0) {
      return {
        status: 'failed',
        reason:
          'a ROC needs faces of at least two people (external_id) and one person with two faces',
      };
    }
    const report = rocReport(pairs.genuine, pairs.impostor, this.deps.calibration);
    const extra = {
      descriptor_version: this.deps.version,
      faces: this.loader.rows.size,
      people: new Set(this.loader.labels).size,
      impostors_sampled: pairs.sampled,
      genuine_pairs_left_out: pairs.genuineLeftOut,
    };
    const far3 = report.tar_at_far.find((t) => t.far === 1e-3)!;
    return {
      status: 'ok',
      result: zipResult('roc', this.ctx.taskId, rocFiles(report, extra)),
      summary: {
        ...extra,
        genuine_pairs: report.genuine_pairs,
        impostor_pairs: report.impostor_pairs,
        auc: report.auc,
        eer: report.eer,
        tar_at_far_1e_3: far3.tar,
        similarity_at_far_1e_3: far3.similarity,
      },
    };
  }
}

/** The ROC kind. */
export function rocKind(deps: RocDeps) {
  return defineKind({
    kind: 'roc',
    summary: 'ROC, EER and TAR at fixed FAR on faces labelled by external_id',
    schema: SCHEMA,
    afterRestart: 'restart',
    open: (ctx, params) => new RocJob(ctx, deps, params),
  });
}
