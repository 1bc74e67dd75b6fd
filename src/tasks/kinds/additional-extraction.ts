/**
 * `additional_extraction`: descriptors of another model version extracted from the stored
 * samples of every face, written beside the existing ones. Matching is untouched meanwhile: the
 * gallery keeps serving its own version, so every face stays matchable throughout, and the
 * result says whether the new version now covers every face (the condition for switching).
 * Resumes from its cursor after a restart.
 */
import * as z from 'zod';
import { meanDescriptor } from '../../descriptors/index.ts';
import type { FileStore } from '../../images/index.ts';
import type { FaceCrop } from '../../vision/index.ts';
import type { DescriptorWriter } from '../internal/descriptor-writer.ts';
import type {
  FaceCursor,
  FaceScanRepository,
  ScannedFace,
} from '../internal/face-scan-repository.ts';
import {
  COMMON_FIELDS,
  FACE_FILTERS,
  faceFilterOf,
  fieldError,
  refusedOrigin,
} from '../task-schemas.ts';
import type { StepOutcome } from '../task-types.ts';
import { defineKind, type JobContext, type TaskJob } from './kind.ts';
import { jsonResult } from './result-files.ts';

/** A recognizer that can describe stored samples, tagged with its descriptor version. */
export interface DescriptorExtractor {
  readonly version: string;
  extract(crops: FaceCrop[]): Promise<Float32Array[]>;
}

/** The matcher state a descriptor of the serving version must reach. */
export interface GalleryLink {
  readonly descriptorVersion: string;
  link(listId: string, faceId: string, descriptor: Float32Array): void;
}

/** What additional extraction uses. */
export interface ExtractionDeps {
  scan: FaceScanRepository;
  writer: DescriptorWriter;
  sampleFiles: FileStore;
  decodeCrop: (jpeg: Uint8Array) => Promise<FaceCrop>;
  extractors: ReadonlyMap<string, DescriptorExtractor>;
  gallery: GalleryLink;
}

/** Why events are refused: what the events module lacks. */
const EVENT_EXTRACTION_MISSING =
  'not available yet: the events module offers no way to add a descriptor version to an event ' +
  '(it needs a writer of event_descriptors rows)';

const SCHEMA = z.strictObject({
  ...COMMON_FIELDS,
  /** The version to add; one of the extractors this box has loaded. */
  descriptor_version: z.string().min(1).max(64),
  /** Faces to cover (default every face of the account). */
  filters: z
    .discriminatedUnion('origin', [FACE_FILTERS, refusedOrigin('events', EVENT_EXTRACTION_MISSING)])
    .optional(),
  /** Faces read per page. */
  batch_size: z.int().min(1).max(500).default(32),
});

type Params = z.infer<typeof SCHEMA>;

interface ExtractionCheckpoint {
  after: FaceCursor | null;
}

class ExtractionJob implements TaskJob {
  private readonly extractor: DescriptorExtractor;

  constructor(
    private readonly ctx: JobContext,
    private readonly deps: ExtractionDeps,
    private readonly params: Params,
    private readonly at: ExtractionCheckpoint,
  ) {
    this.extractor = deps.extractors.get(params.descriptor_version)!;
  }

  async step(): Promise<StepOutcome> {
    const version = this.extractor.version;
    const filters = this.params.filters;
    const base = filters?.origin === 'faces' ? faceFilterOf(filters) : {};
    const filter = { ...base, missingVersion: version };
    for (;;) {
      const page = await this.deps.scan.page(this.ctx.accountId, filter, {
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
    const left = await this.deps.scan.count(this.ctx.accountId, filter);
    const done = (this.ctx.counts.extracted ?? 0) + (this.ctx.counts.without_sample ?? 0);
    return { status: 'continue', progress: done / Math.max(done + left, 1), checkpoint: this.at };
  }

  private async cropsOf(face: ScannedFace): Promise<FaceCrop[] | undefined> {
    const crops: FaceCrop[] = [];
    for (const sampleId of face.sampleIds) {
      const jpeg = await this.deps.sampleFiles.read(sampleId);
      if (jpeg) {
        crops.push(await this.deps.decodeCrop(jpeg));
      }
    }
    return crops.length > 0 ? crops : undefined;
  }

  private async extractOne(face: ScannedFace): Promise<void> {
    const crops = await this.cropsOf(face).catch(() => undefined);
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
    if (this.extractor.version === this.deps.gallery.descriptorVersion) {
      for (const listId of face.listIds) {
        this.deps.gallery.link(listId, face.faceId, vector);
      }
    }
  }

  private async finish(): Promise<StepOutcome> {
    const version = this.extractor.version;
    const missing = await this.deps.writer.countMissing(this.ctx.accountId, version);
    const result = {
      descriptor_version: version,
      serving_version: this.deps.gallery.descriptorVersion,
      extracted: this.ctx.counts.extracted ?? 0,
      without_sample: this.ctx.counts.without_sample ?? 0,
      faces_missing_version: missing,
      covered: missing === 0,
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
      return { after: null };
    },
    open: (ctx, params, checkpoint) =>
      new ExtractionJob(ctx, deps, params, { ...(checkpoint as ExtractionCheckpoint) }),
  });
}
