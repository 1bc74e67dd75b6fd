/**
 * `additional_extraction`: descriptors of another model version extracted from the stored
 * samples of every face (or of events that kept samples), written beside the existing ones.
 * Matching keeps serving its version meanwhile, so every face stays matchable throughout; when
 * a face run ends with the new version covering every face of the box, matching switches to
 * it. An admin's face run covers every account (the switch is per box); anyone else's covers
 * their own account, and the result says how many faces of the box still lack the version.
 * Resumes from its cursor after a restart.
 */
import * as z from 'zod';
import { meanDescriptor } from '../../descriptors/index.ts';
import { AppError } from '../../errors/index.ts';
import {
  EVENT_CANDIDATES,
  type EventDescriptorWriter,
  type EventFilters,
} from '../../events/index.ts';
import type { Calibration, DescriptorExtractor, SwitchOutcome } from '../../matcher/index.ts';
import type { AccountScope } from '../internal/account-scope.ts';
import type { DescriptorWriter } from '../internal/descriptor-writer.ts';
import type {
  FaceCursor,
  FaceScanRepository,
  ScannedFace,
} from '../internal/face-scan-repository.ts';
import { readCrops, type SampleCropSource } from '../internal/sample-crops.ts';
import {
  COMMON_FIELDS,
  eventFiltersOf,
  FACE_FILTERS,
  faceFilterOf,
  fieldError,
} from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { type EventExtractionCheckpoint, EventExtractionJob } from './event-extraction.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { jsonResult } from './result-files.ts';

export type { DescriptorExtractor } from '../../matcher/index.ts';

/** The matcher state new descriptors must reach. */
export interface GalleryLink {
  /** The version new requests are matched with. */
  readonly servingVersion: string;
  /** Calibration of the version this caller sees. */
  readonly calibration: Calibration;
  /** Links a descriptor of `version`; versions the gallery does not hold are ignored. */
  link(listId: string, faceId: string, descriptor: Float32Array, version: string): void;
}

/** The served version's switch: told when a version starts and when it may cover the box. */
export interface VersionSwitchLink {
  begin(version: string): Promise<void>;
  switchIfCovered(version: string): Promise<SwitchOutcome>;
}

/** What additional extraction uses. */
export interface ExtractionDeps extends SampleCropSource {
  scan: FaceScanRepository;
  writer: DescriptorWriter;
  events: EventDescriptorWriter;
  extractors: ReadonlyMap<string, DescriptorExtractor>;
  gallery: GalleryLink;
  versions: VersionSwitchLink;
  /** The faces a caller's run covers: their account's, or every account's for an admin. */
  scopeOf: AccountScope;
}

const SCHEMA = z.strictObject({
  ...COMMON_FIELDS,
  /** The version to add; one of the extractors this box has loaded. */
  descriptor_version: z.string().min(1).max(64),
  /**
   * Faces to cover (default every face of the caller's account, of every account for an
   * admin), or events that kept samples.
   */
  filters: z.discriminatedUnion('origin', [FACE_FILTERS, EVENT_CANDIDATES]).optional(),
  /** Faces read per page. */
  batch_size: z.int().min(1).max(500).default(32),
});

type Params = z.infer<typeof SCHEMA>;

interface ExtractionCheckpoint extends EventExtractionCheckpoint {
  after: FaceCursor | null;
}

class ExtractionJob implements TaskJob {
  private readonly extractor: DescriptorExtractor;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: ExtractionDeps,
    private readonly params: Params,
    private readonly at: ExtractionCheckpoint,
    /** The account whose faces this run covers; undefined: every account. */
    private readonly scope: string | undefined,
  ) {
    this.extractor = deps.extractors.get(params.descriptor_version)!;
  }

  async step(): Promise<StepOutcome> {
    const version = this.extractor.version;
    const filters = this.params.filters;
    const base = filters?.origin === 'faces' ? faceFilterOf(filters) : {};
    const filter = { ...base, missingVersion: version };
    for (;;) {
      const page = await this.deps.scan.page(this.scope, filter, {
        after: this.at.after ?? undefined,
        limit: this.params.batch_size,
      });
      for (const face of page) {
        await this.extractOne(face);
        this.at.after = { createTime: face.createTime, faceId: face.faceId };
        if (this.ctx.sliceOver()) {
          return this.pause(filter);
        }
      }
      if (page.length < this.params.batch_size) {
        return this.finish();
      }
    }
  }

  private async pause(filter: object): Promise<StepOutcome> {
    const left = await this.deps.scan.count(this.scope, filter);
    const done = (this.ctx.counts.extracted ?? 0) + (this.ctx.counts.without_sample ?? 0);
    return { status: 'continue', progress: done / Math.max(done + left, 1), checkpoint: this.at };
  }

  private async extractOne(face: ScannedFace): Promise<void> {
    const crops = await readCrops(this.deps, face.sampleIds);
    if (!crops) {
      this.ctx.count('without_sample');
      this.ctx.itemError(face.faceId, 'no stored sample to extract from');
      return;
    }
    const vector = meanDescriptor(await this.extractor.extract(crops));
    if (!(await this.deps.writer.add(face.faceId, this.extractor.version, vector))) {
      return;
    }
    this.ctx.count('extracted');
    for (const listId of face.listIds) {
      this.deps.gallery.link(listId, face.faceId, vector, this.extractor.version);
    }
  }

  private async finish(): Promise<StepOutcome> {
    const version = this.extractor.version;
    const missing = await this.deps.writer.countMissing(this.scope, version);
    const boxMissing =
      this.scope === undefined ? missing : await this.deps.writer.countMissing(undefined, version);
    const outcome =
      boxMissing === 0 ? await this.deps.versions.switchIfCovered(version) : undefined;
    const result = {
      descriptor_version: version,
      /** `box`: the run covered every account's faces (an admin's); `account`: the caller's. */
      scope: this.scope === undefined ? 'box' : 'account',
      extracted: this.ctx.counts.extracted ?? 0,
      without_sample: this.ctx.counts.without_sample ?? 0,
      /** Faces of the run's scope still without the version. */
      faces_missing_version: missing,
      /** Faces of the whole box (every account) still without the version. */
      box_faces_missing_version: boxMissing,
      /** True when every face of the box has the version (the condition of a switch). */
      covered: boxMissing === 0,
      /** True when this run completed the box's coverage and matching now serves `version`. */
      switched: outcome?.status === 'switched',
      serving_version: this.deps.gallery.servingVersion,
    };
    return {
      status: 'ok',
      result: jsonResult('additional_extraction', this.ctx.taskId, result),
      summary: result,
    };
  }
}

/** The additional-extraction kind. */
export function additionalExtractionKind(deps: ExtractionDeps) {
  return defineKind({
    kind: 'additional_extraction',
    summary: 'Extract descriptors of another model version from stored samples',
    schema: SCHEMA,
    afterRestart: 'resume',
    async prepare(_accountId, params): Promise<ExtractionCheckpoint> {
      if (!deps.extractors.has(params.descriptor_version)) {
        const known = [...deps.extractors.keys()].join(', ');
        throw fieldError(
          'body.descriptor_version',
          `no extractor of ${params.descriptor_version} is loaded (loaded: ${known})`,
        );
      }
      await deps.versions.begin(params.descriptor_version);
      return { after: null, afterEvent: null, now: Date.now() };
    },
    async open(ctx, params, checkpoint) {
      const extractor = deps.extractors.get(params.descriptor_version);
      if (!extractor) {
        throw new AppError(
          'model_unavailable',
          `no recognizer of ${params.descriptor_version} is loaded since the restart`,
        );
      }
      // Again after a restart: enrolments must keep writing the version while the run goes on.
      await deps.versions.begin(params.descriptor_version);
      const at = { ...(checkpoint as ExtractionCheckpoint) };
      if (params.filters?.origin !== 'events') {
        const scope = await deps.scopeOf(ctx.accountId);
        return new ExtractionJob(ctx, deps, params, at, scope);
      }
      const filters: EventFilters = eventFiltersOf(params.filters);
      return new EventExtractionJob(ctx, deps, extractor, filters, params.batch_size, at);
    },
  });
}
