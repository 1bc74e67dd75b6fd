/**
 * `reporter`: a clustering result as a report: one CSV row per face (cluster, size, whether it
 * is the representative, the face's fields), alone or in a zip with each face's sample image.
 * Read-only: after a restart it starts over.
 */
import * as z from 'zod';
import { notFound } from '../../errors/index.ts';
import { ID, isoTime } from '../../http/index.ts';
import type { FileStore } from '../../images/index.ts';
import { csvRow } from '../internal/csv.ts';
import type { FaceScanRepository, ScannedFace } from '../internal/face-scan-repository.ts';
import type { ZipInput } from '../internal/zip-writer.ts';
import type { TaskRepository } from '../task-repository.ts';
import { COMMON_FIELDS, fieldError } from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import type { ClusterView } from './clustering.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { csvResult, zipResult } from './result-files.ts';

/** Faces looked up per query. */
const LOOKUP = 500;

const HEADER = [
  'cluster',
  'cluster_size',
  'face_id',
  'representative',
  'external_id',
  'user_data',
  'create_time',
  'sample_id',
];

const SCHEMA = z
  .strictObject({
    ...COMMON_FIELDS,
    /** A finished clustering task of the account. */
    task_id: ID,
    format: z.enum(['csv', 'zip']).default('csv'),
    /** Put each face's first sample image in the zip, one folder per cluster. */
    with_samples: z.boolean().default(false),
  })
  .refine((b) => !b.with_samples || b.format === 'zip', {
    path: ['with_samples'],
    message: 'sample images need format zip',
  });

type Params = z.infer<typeof SCHEMA>;

/** What the reporter uses. */
export interface ReporterDeps {
  tasks: TaskRepository;
  results: FileStore;
  scan: FaceScanRepository;
  sampleFiles: FileStore;
}

interface Entry {
  cluster: number;
  size: number;
  faceId: string;
  representative: boolean;
}

function entriesOf(clusters: ClusterView[]): Entry[] {
  return clusters.flatMap((c, i) =>
    (c.face_ids ?? []).map((faceId) => ({
      cluster: i + 1,
      size: c.size,
      faceId,
      representative: faceId === c.representative,
    })),
  );
}

class ReportJob implements TaskJob {
  private entries: Entry[] | undefined;
  private next = 0;
  private readonly lines = [csvRow(HEADER)];
  private readonly images: ZipInput[] = [];

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: ReporterDeps,
    private readonly params: Params,
  ) {}

  async step(): Promise<StepOutcome> {
    this.entries ??= await this.readClusters();
    if (!this.entries) {
      return { status: 'failed', reason: `clustering task ${this.params.task_id} has no result` };
    }
    while (this.next < this.entries.length && !this.ctx.sliceOver()) {
      await this.report(this.entries.slice(this.next, this.next + LOOKUP));
      this.next += LOOKUP;
    }
    if (this.next < this.entries.length) {
      return { status: 'continue', progress: this.next / this.entries.length };
    }
    return this.finish();
  }

  private async readClusters(): Promise<Entry[] | undefined> {
    const bytes = await this.deps.results.read(this.params.task_id);
    if (!bytes) {
      return undefined;
    }
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { clusters: ClusterView[] };
    return entriesOf(parsed.clusters);
  }

  private async report(chunk: Entry[]): Promise<void> {
    const faceIds = chunk.map((e) => e.faceId);
    const page = await this.deps.scan.page(this.ctx.accountId, { faceIds }, { limit: LOOKUP });
    const byId = new Map(page.map((f) => [f.faceId, f]));
    for (const entry of chunk) {
      const face = byId.get(entry.faceId);
      if (!face) {
        this.ctx.count('faces_gone');
      }
      this.lines.push(csvRow(this.cells(entry, face)));
      this.ctx.count('rows');
      if (face && this.params.with_samples) {
        await this.addImage(entry, face);
      }
    }
  }

  private cells(e: Entry, face: ScannedFace | undefined) {
    return [
      e.cluster,
      e.size,
      e.faceId,
      e.representative ? 1 : 0,
      face?.externalId,
      face?.userData,
      face ? isoTime(face.createTime) : undefined,
      face?.sampleIds[0],
    ];
  }

  private async addImage(e: Entry, face: ScannedFace): Promise<void> {
    const sampleId = face.sampleIds[0];
    const jpeg = sampleId && (await this.deps.sampleFiles.read(sampleId));
    if (!jpeg) {
      this.ctx.itemError(face.faceId, 'sample image not found');
      return;
    }
    const folder = `cluster-${String(e.cluster).padStart(5, '0')}`;
    this.images.push({ name: `samples/${folder}/${face.faceId}.jpg`, data: jpeg });
  }

  private finish(): StepOutcome {
    const csv = this.lines.join('');
    const summary = { rows: this.lines.length - 1, images: this.images.length };
    if (this.params.format === 'csv') {
      return { status: 'ok', result: csvResult('reporter', this.ctx.taskId, csv), summary };
    }
    const entries = [{ name: 'report.csv', data: new TextEncoder().encode(csv) }, ...this.images];
    return { status: 'ok', result: zipResult('reporter', this.ctx.taskId, entries), summary };
  }
}

/** The reporter kind. */
export function reporterKind(deps: ReporterDeps) {
  return defineKind({
    kind: 'reporter',
    summary: 'A CSV or zip report of a clustering result, optionally with sample images',
    schema: SCHEMA,
    afterRestart: 'restart',
    async prepare(accountId, params) {
      const source = await deps.tasks.find(accountId, params.task_id);
      if (!source) {
        throw notFound('task', params.task_id);
      }
      const faces = (source?.params.filters as { origin?: string } | undefined)?.origin === 'faces';
      const usable = source?.kind === 'clustering' && source.status === 'done' && faces;
      if (!usable || !source.result || source.result.removed) {
        throw fieldError(
          'body.task_id',
          'must be a finished clustering task of faces, with its result',
        );
      }
      return undefined;
    },
    open: (ctx, params) => new ReportJob(ctx, deps, params),
  });
}
