/**
 * Composition of the vision pipeline: opens one ONNX session per model at start-up, exposes the
 * stages behind the {@link Vision} interface and releases the sessions on close.
 */
import { AppError } from '../errors/index.ts';
import { type AgeGenderModels, estimateAgeGender } from './internal/age-gender.ts';
import { decodeCrop, encodeCrop } from './internal/crop-codec.ts';
import { decodeImage } from './internal/decode/decode-image.ts';
import { detectFaces } from './internal/face-detector.ts';
import { DESCRIPTOR_VERSION, extractDescriptor } from './internal/face-recognizer.ts';
import { warpFace } from './internal/face-warp.ts';
import { EXECUTION_PROVIDER, type ModelSession, openModel } from './internal/onnx/onnx-session.ts';
import type {
  BasicAttributes,
  DecodedImage,
  Detection,
  DetectOptions,
  FaceCrop,
  Vision,
  VisionOptions,
} from './types.ts';

const ROLES = ['detector', 'recognizer', 'age', 'gender'] as const;

interface Sessions extends AgeGenderModels {
  detector: ModelSession;
  recognizer: ModelSession;
}

async function openSessions(options: VisionOptions): Promise<Sessions> {
  const threads = options.threads ?? 1;
  const { models, logger } = options;
  const opened = await Promise.allSettled(
    ROLES.map((role) => openModel(models[role], role, threads, logger)),
  );
  const failure = opened.find((r) => r.status === 'rejected');
  const loaded = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (failure) {
    await Promise.all(loaded.map((m) => m.session.release()));
    throw failure.reason;
  }
  const [detector, recognizer, age, gender] = loaded as [
    ModelSession,
    ModelSession,
    ModelSession,
    ModelSession,
  ];
  return { detector, recognizer, age, gender };
}

async function mapInOrder<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) {
    results.push(await run(item));
  }
  return results;
}

/** The pipeline over its four open sessions. */
class OnnxVision implements Vision {
  readonly descriptorVersion = DESCRIPTOR_VERSION;
  readonly executionProvider = EXECUTION_PROVIDER;
  #sessions: Sessions | undefined;

  constructor(
    sessions: Sessions,
    private readonly maxPixels: number,
  ) {
    this.#sessions = sessions;
  }

  decode(bytes: Uint8Array): Promise<DecodedImage> {
    return decodeImage(bytes, this.maxPixels);
  }

  async detect(image: DecodedImage, options?: DetectOptions): Promise<Detection[]> {
    return detectFaces(this.#open().detector, image, options?.scoreThreshold);
  }

  async warp(image: DecodedImage, detection: Detection): Promise<FaceCrop> {
    return warpFace(image, detection);
  }

  encodeCrop(crop: FaceCrop): Promise<Buffer> {
    return encodeCrop(crop);
  }

  decodeCrop(jpeg: Uint8Array): Promise<FaceCrop> {
    return decodeCrop(jpeg);
  }

  extract(crops: FaceCrop[]): Promise<Float32Array[]> {
    return mapInOrder(crops, (crop) => extractDescriptor(this.#open().recognizer, crop));
  }

  estimateBasic(crops: FaceCrop[]): Promise<BasicAttributes[]> {
    return mapInOrder(crops, (crop) => estimateAgeGender(this.#open(), crop));
  }

  async close(): Promise<void> {
    const sessions = this.#sessions;
    this.#sessions = undefined;
    await Promise.all(Object.values(sessions ?? {}).map((m: ModelSession) => m.session.release()));
  }

  #open(): Sessions {
    if (!this.#sessions) {
      throw new AppError('model_unavailable', 'vision pipeline is closed');
    }
    return this.#sessions;
  }
}

/**
 * Loads the four models (one CPU session each, `threads` intra-op threads, default 1) and
 * returns the pipeline. Throws AppError `model_unavailable` when a model file is missing or not
 * a loadable ONNX graph.
 */
export async function createVision(options: VisionOptions): Promise<Vision> {
  const { threads } = options;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new AppError('internal_error', `vision threads must be a positive integer: ${threads}`);
  }
  return new OnnxVision(await openSessions(options), options.maxPixels);
}
