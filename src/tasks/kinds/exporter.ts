/**
 * `exporter`: the faces a filter picks, with the fields asked for, as one CSV file. Read-only:
 * after a restart it starts over.
 */
import * as z from 'zod';
import { isoTime } from '../../http/index.ts';
import { type CsvCell, csvRow } from '../internal/csv.ts';
import {
  cursorAfter,
  type FaceCursor,
  type FaceScanRepository,
  type ScannedFace,
} from '../internal/face-scan-repository.ts';
import {
  asFaceFilters,
  COMMON_FIELDS,
  FACE_OR_EVENT_FILTERS,
  faceFilterOf,
} from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { csvResult } from './result-files.ts';

const PAGE = 1000;

/** Columns an export can have, in their fixed order. */
export const EXPORT_FIELDS = [
  'face_id',
  'external_id',
  'user_data',
  'create_time',
  'lists',
  'samples',
  'descriptor_versions',
  'age',
  'gender',
] as const;

type ExportField = (typeof EXPORT_FIELDS)[number];

const SCHEMA = z.strictObject({
  ...COMMON_FIELDS,
  filters: FACE_OR_EVENT_FILTERS,
  /** Columns to write (default all), always in the order of EXPORT_FIELDS. */
  fields: z.array(z.enum(EXPORT_FIELDS)).min(1).max(EXPORT_FIELDS.length).optional(),
});

const CELL: Record<ExportField, (f: ScannedFace) => CsvCell> = {
  face_id: (f) => f.faceId,
  external_id: (f) => f.externalId,
  user_data: (f) => f.userData,
  create_time: (f) => isoTime(f.createTime),
  lists: (f) => f.listIds.join(';'),
  samples: (f) => f.sampleIds.join(';'),
  descriptor_versions: (f) => f.descriptorVersions.join(';'),
  age: (f) => (f.basicAttributes ? Math.round(f.basicAttributes.age * 10) / 10 : undefined),
  gender: (f) => (f.basicAttributes ? Math.round(f.basicAttributes.gender * 100) / 100 : undefined),
};

class ExportJob implements TaskJob {
  private readonly lines: string[];
  private readonly fields: ExportField[];
  private after: FaceCursor | undefined;
  private total: number | undefined;

  constructor(
    private readonly ctx: JobContext,
    private readonly faces: FaceScanRepository,
    private readonly params: z.infer<typeof SCHEMA>,
  ) {
    const wanted = new Set(params.fields ?? EXPORT_FIELDS);
    this.fields = EXPORT_FIELDS.filter((f) => wanted.has(f));
    this.lines = [csvRow(this.fields)];
  }

  async step(): Promise<StepOutcome> {
    const filter = faceFilterOf(asFaceFilters(this.params.filters));
    this.total ??= await this.faces.count(this.ctx.accountId, filter);
    let last: ScannedFace[] = [];
    do {
      last = await this.faces.page(this.ctx.accountId, filter, { after: this.after, limit: PAGE });
      for (const face of last) {
        this.lines.push(csvRow(this.fields.map((field) => CELL[field](face))));
      }
      this.ctx.count('rows', last.length);
      this.after = cursorAfter(last) ?? this.after;
    } while (last.length === PAGE && !this.ctx.sliceOver());
    if (last.length === PAGE) {
      return { status: 'continue', progress: (this.lines.length - 1) / Math.max(this.total, 1) };
    }
    return {
      status: 'ok',
      result: csvResult('exporter', this.ctx.taskId, this.lines.join('')),
      summary: { rows: this.lines.length - 1, fields: this.fields },
    };
  }
}

/** The exporter kind. */
export function exporterKind(faces: FaceScanRepository) {
  return defineKind({
    kind: 'exporter',
    summary: 'Export faces with chosen fields to CSV',
    schema: SCHEMA,
    afterRestart: 'restart',
    open: (ctx, params) => new ExportJob(ctx, faces, params),
  });
}
