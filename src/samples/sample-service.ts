/**
 * Samples: detect faces in uploaded images and keep each as a warped 112×112 crop (file in the
 * image store) plus its detection (row in libSQL). Files are written before rows and removed
 * again if the rows fail, so a sample is never half-stored.
 */
import { AppError, notFound } from '../errors/index.ts';
import {
  type EstimateOptions,
  type FaceEstimations,
  type FaceEstimator,
  NO_ESTIMATES,
} from '../estimations/index.ts';
import type { ImageUpload } from '../http/index.ts';
import type { FileStore } from '../images/index.ts';
import type { DecodedImage, Detection, FaceCrop, Vision } from '../vision/index.ts';
import type { SampleRepository, SampleRow } from './sample-repository.ts';

/** How many faces of one image to keep: 0 refuse several, 1 keep all, 2 keep the largest. */
export type MultifacePolicy = 0 | 1 | 2;

/** Options of one detection request. */
export interface DetectOptions {
  multifacePolicy: MultifacePolicy;
  scoreThreshold: number;
  /** Estimators to run on each face and store with its sample; none by default. */
  estimate?: EstimateOptions;
}

/** The result for one uploaded image: its samples, or why it failed. */
export type ImageOutcome =
  | { filename: string; status: 'ok'; samples: SampleRow[] }
  | { filename: string; status: 'failed'; error: AppError };

/** What the sample service offers the routes and the other modules. */
export interface SampleService {
  detectImages(
    accountId: string,
    uploads: ImageUpload[],
    opts: DetectOptions,
  ): Promise<ImageOutcome[]>;
  /** The warped JPEG of a sample the account owns. */
  readSampleImage(accountId: string, sampleId: string): Promise<Uint8Array>;
  /** Decoded crops of samples the account owns, in the order asked; 404 on any unknown id. */
  loadCrops(accountId: string, sampleIds: string[]): Promise<FaceCrop[]>;
  /** Deletes a sample and its image; 409 `sample_in_use` while a face holds it. */
  deleteSample(accountId: string, sampleId: string): Promise<void>;
  /** Stored estimations of samples the account owns, in the order asked (undefined if none). */
  loadEstimations(accountId: string, sampleIds: string[]): Promise<(FaceEstimations | undefined)[]>;
}

/** What the sample service depends on. */
export interface SampleServiceDeps {
  vision: Vision;
  repository: SampleRepository;
  files: FileStore;
  estimator: FaceEstimator;
}

function area(d: Detection): number {
  return d.rect.width * d.rect.height;
}

function applyMultifacePolicy(detections: Detection[], policy: MultifacePolicy): Detection[] {
  if (policy === 0 && detections.length > 1) {
    throw new AppError('too_many_faces', `${detections.length} faces found, multiface_policy=0`);
  }
  if (policy === 2 && detections.length > 1) {
    return [detections.reduce((a, b) => (area(b) > area(a) ? b : a))];
  }
  return detections;
}

/** Creates the sample service. */
export function createSampleService(deps: SampleServiceDeps): SampleService {
  const { vision, repository, files, estimator } = deps;

  async function storeSamples(
    accountId: string,
    image: DecodedImage,
    detections: Detection[],
    estimate: EstimateOptions,
  ): Promise<SampleRow[]> {
    const rows: SampleRow[] = [];
    const jpegs: Uint8Array[] = [];
    for (const detection of detections) {
      jpegs.push(await vision.encodeCrop(await vision.warp(image, detection)));
      rows.push({
        sampleId: crypto.randomUUID(),
        accountId,
        createTime: Date.now(),
        sourceWidth: image.width,
        sourceHeight: image.height,
        detection,
        estimations: await estimator.estimate(image, detection, estimate),
      });
    }
    await Promise.all(rows.map((row, i) => files.write(row.sampleId, jpegs[i]!)));
    try {
      await repository.insertMany(rows);
    } catch (err) {
      await Promise.all(rows.map((row) => files.remove(row.sampleId)));
      throw err;
    }
    return rows;
  }

  async function detectOne(accountId: string, upload: ImageUpload, opts: DetectOptions) {
    const image = await vision.decode(upload.bytes);
    const found = await vision.detect(image, { scoreThreshold: opts.scoreThreshold });
    const kept = applyMultifacePolicy(found, opts.multifacePolicy);
    return kept.length === 0
      ? []
      : storeSamples(accountId, image, kept, opts.estimate ?? NO_ESTIMATES);
  }

  async function readSampleImage(accountId: string, sampleId: string): Promise<Uint8Array> {
    const row = await repository.find(accountId, sampleId);
    const bytes = row && (await files.read(sampleId));
    if (!bytes) {
      throw notFound('sample', sampleId);
    }
    return bytes;
  }

  return {
    readSampleImage,

    async detectImages(accountId, uploads, opts) {
      const outcomes: ImageOutcome[] = [];
      for (const upload of uploads) {
        try {
          const samples = await detectOne(accountId, upload, opts);
          outcomes.push({ filename: upload.filename, status: 'ok', samples });
        } catch (err) {
          if (!(err instanceof AppError)) {
            throw err;
          }
          outcomes.push({ filename: upload.filename, status: 'failed', error: err });
        }
      }
      return outcomes;
    },

    async loadCrops(accountId, sampleIds) {
      const rows = await repository.findMany(accountId, sampleIds);
      const owned = new Set(rows.map((r) => r.sampleId));
      const missing = sampleIds.find((id) => !owned.has(id));
      if (missing) {
        throw notFound('sample', missing);
      }
      return Promise.all(
        sampleIds.map(async (id) => vision.decodeCrop(await readSampleImage(accountId, id))),
      );
    },

    async loadEstimations(accountId, sampleIds) {
      const rows = await repository.findMany(accountId, sampleIds);
      const byId = new Map(rows.map((r) => [r.sampleId, r.estimations]));
      return sampleIds.map((id) => byId.get(id));
    },

    async deleteSample(accountId, sampleId) {
      const removal = await repository.remove(accountId, sampleId);
      if (removal.removed) {
        await files.remove(sampleId);
        return;
      }
      if (removal.heldBy.length === 0 || !(await repository.find(accountId, sampleId))) {
        throw notFound('sample', sampleId);
      }
      throw new AppError(
        'sample_in_use',
        `sample ${sampleId} is held by face ${removal.heldBy[0]}` +
          (removal.heldBy.length > 1 ? ' and others' : '') +
          '; delete those faces first',
        { face_ids: removal.heldBy },
      );
    },
  };
}
