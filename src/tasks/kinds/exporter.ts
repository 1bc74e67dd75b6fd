/**
 * `exporter`: the faces or events a filter picks, with the fields asked for, as one CSV file.
 * Read-only: after a restart it starts over.
 */
import * as z from 'zod';
import type { EventRecord } from '../../events/index.ts';
import { isoTime } from '../../http/index.ts';
import { type CsvCell, csvRow } from '../internal/csv.ts';
import type { EventScan } from '../internal/event-scan.ts';
import {
  cursorAfter,
  type FaceCursor,
  type FaceScanRepository,
  type ScannedFace,
} from '../internal/face-scan-repository.ts';
import {
  COMMON_FIELDS,
  eventFiltersOf,
  FACE_OR_EVENT_FILTERS,
  faceFilterOf,
} from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { csvResult } from './result-files.ts';

const PAGE = 1000;

const round = (v: number | undefined, step: number) =>
  v === undefined ? undefined : Math.round(v / step) * step;

const FACE_CELLS = {
  face_id: (f: ScannedFace) => f.faceId,
  external_id: (f: ScannedFace) => f.externalId,
  user_data: (f: ScannedFace) => f.userData,
  create_time: (f: ScannedFace) => isoTime(f.createTime),
  lists: (f: ScannedFace) => f.listIds.join(';'),
  samples: (f: ScannedFace) => f.sampleIds.join(';'),
  descriptor_versions: (f: ScannedFace) => f.descriptorVersions.join(';'),
  age: (f: ScannedFace) => round(f.basicAttributes?.age, 0.1),
  gender: (f: ScannedFace) => round(f.basicAttributes?.gender, 0.01),
} satisfies Record<string, (f: ScannedFace) => CsvCell>;

const EVENT_CELLS = {
  event_id: (e: EventRecord) => e.eventId,
  create_time: (e: EventRecord) => isoTime(e.createTime),
  handler_id: (e: EventRecord) => e.handlerId,
  source: (e: EventRecord) => e.source,
  track_id: (e: EventRecord) => e.trackId,
  external_id: (e: EventRecord) => e.externalId,
  user_data: (e: EventRecord) => e.userData,
  tags: (e: EventRecord) => e.tags.join(';'),
  face_id: (e: EventRecord) => e.faceId,
  age: (e: EventRecord) => round(e.basicAttributes?.age, 0.1),
  gender: (e: EventRecord) => round(e.basicAttributes?.gender, 0.01),
  top_match_label: (e: EventRecord) => e.topMatch?.label,
  top_match_object_id: (e: EventRecord) => e.topMatch?.objectId,
  top_match_similarity: (e: EventRecord) => round(e.topMatch?.similarity, 1e-6),
} satisfies Record<string, (e: EventRecord) => CsvCell>;

/** Columns a face export can have, in their fixed order. */
export const FACE_EXPORT_FIELDS = Object.keys(FACE_CELLS) as (keyof typeof FACE_CELLS)[];
/** Columns an event export can have, in their fixed order. */
export const EVENT_EXPORT_FIELDS = Object.keys(EVENT_CELLS) as (keyof typeof EVENT_CELLS)[];

const ANY_FIELD = z.enum([...new Set([...FACE_EXPORT_FIELDS, ...EVENT_EXPORT_FIELDS])]);

const SCHEMA = z
  .strictObject({
    ...COMMON_FIELDS,
    filters: FACE_OR_EVENT_FILTERS,
    /** Columns to write (default all of the origin's), always in the fixed order. */
    fields: z.array(ANY_FIELD).min(1).max(20).optional(),
  })
  .superRefine((b, ctx) => {
    const allowed: string[] =
      b.filters.origin === 'events' ? EVENT_EXPORT_FIELDS : FACE_EXPORT_FIELDS;
    const wrong = (b.fields ?? []).filter((f) => !allowed.includes(f));
    if (wrong.length > 0) {
      const message = `${wrong.join(', ')}: not among ${b.filters.origin} fields ${allowed}`;
      ctx.addIssue({ code: 'custom', path: ['fields'], message });
    }
  });

type Params = z.infer<typeof SCHEMA>;

/** What the exporter reads. */
export interface ExporterDeps {
  faces: FaceScanRepository;
  events: EventScan;
}

class ExportJob implements TaskJob {
  private readonly lines: string[];
  private readonly fields: string[];
  private after: FaceCursor | undefined;
  private before: string | undefined;
  private total: number | undefined;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: ExporterDeps,
    private readonly params: Params,
  ) {
    const all: string[] =
      params.filters.origin === 'events' ? EVENT_EXPORT_FIELDS : FACE_EXPORT_FIELDS;
    const wanted = new Set<string>(params.fields ?? all);
    this.fields = all.filter((f) => wanted.has(f));
    this.lines = [csvRow(this.fields)];
  }

  async step(): Promise<StepOutcome> {
    let full = true;
    while (full && !this.ctx.sliceOver()) {
      full = (await this.page()) === PAGE;
    }
    if (full) {
      const progress = this.total ? (this.lines.length - 1) / Math.max(this.total, 1) : 0.5;
      return { status: 'continue', progress };
    }
    return {
      status: 'ok',
      result: csvResult('exporter', this.ctx.taskId, this.lines.join('')),
      summary: { rows: this.lines.length - 1, fields: this.fields },
    };
  }

  /** Writes one page of rows; returns how many. */
  private async page(): Promise<number> {
    const { accountId } = this.ctx;
    const filters = this.params.filters;
    const cells = (cell: Record<string, (item: never) => CsvCell>, item: unknown) =>
      csvRow(this.fields.map((field) => cell[field]!(item as never)));
    if (filters.origin === 'events') {
      const page = await this.deps.events.page(
        accountId,
        eventFiltersOf(filters),
        this.before,
        PAGE,
      );
      this.lines.push(...page.map((e) => cells(EVENT_CELLS, e)));
      this.before = page.at(-1)?.eventId ?? this.before;
      this.ctx.count('rows', page.length);
      return page.length;
    }
    const filter = faceFilterOf(filters);
    this.total ??= await this.deps.faces.count(accountId, filter);
    const page = await this.deps.faces.page(accountId, filter, { after: this.after, limit: PAGE });
    this.lines.push(...page.map((f) => cells(FACE_CELLS, f)));
    this.after = cursorAfter(page) ?? this.after;
    this.ctx.count('rows', page.length);
    return page.length;
  }
}

/** The exporter kind. */
export function exporterKind(deps: ExporterDeps) {
  return defineKind({
    kind: 'exporter',
    summary: 'Export faces or events with chosen fields to CSV',
    schema: SCHEMA,
    afterRestart: 'restart',
    open: (ctx, params) => new ExportJob(ctx, deps, params),
  });
}
