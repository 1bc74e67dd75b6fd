/**
 * Composition of the vision pipeline: opens one ONNX session per model at start-up, exposes the
 * stages behind the {@link Vision} interface and releases the sessions on close.
 */
import { AppError } from '../errors/index.ts';
import { estimateAgeGender } from './internal/age-gender.ts';
import { decodeCrop, encodeCrop } from './internal/crop-codec.ts';
import { decodeImage } from './internal/decode/decode-image.ts';
import { estimateEmotions } from './internal/expression.ts';
import { estimateEyes } from './internal/eye-state.ts';
import { detectFaces } from './internal/face-detector.ts';
import { estimateFaceQuality } from './internal/face-quality.ts';
import { DESCRIPTOR_VERSION, extractDescriptor } from './internal/face-recognizer.ts';
import { warpFace } from './internal/face-warp.ts';
import { estimateHeadPose } from './internal/head-pose.ts';
import { estimateLiveness } from './internal/liveness.ts';
import { openSessions, releaseSessions, type Sessions } from './internal/model-sessions.ts';
import type { ModelSession } from './internal/onnx/onnx-session.ts';
import { EXECUTION_PROVIDER } from './internal/onnx/onnx-session.ts';
import type {
  BasicAttributes,
  DecodedImage,
  Detection,
  DetectOptions,
  EmotionsEstimate,
  EyesEstimate,
  FaceCrop,
  FaceQuality,
  HeadPose,
  LivenessEstimate,
  Vision,
  VisionOptions,
} from './types.ts';

async function mapInOrder<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) {
    results.push(await run(item));
  }
  return results;
}

/** The pipeline over its open sessions. */
class OnnxVision implements Vision {
  readonly descriptorVersion = DESCRIPTOR_VERSION;
  readonly executionProvider = EXECUTION_PROVIDER;
  #sessions: Sessions | undefined;
  // The last pose of each detection, so liveness after head pose does not estimate it twice.
  #poses = new WeakMap<Detection, { image: DecodedImage; pose: Promise<HeadPose> }>();

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

  async estimateLiveness(
    image: DecodedImage,
    detection: Detection,
    threshold?: number,
  ): Promise<LivenessEstimate> {
    const models = { v2: this.#model('livenessV2'), v1se: this.#model('livenessV1se') };
    const pose = await this.estimateHeadPose(image, detection);
    return estimateLiveness(models, image, detection, pose, threshold);
  }

  estimateHeadPose(image: DecodedImage, detection: Detection): Promise<HeadPose> {
    const known = this.#poses.get(detection);
    if (known?.image === image) {
      return known.pose;
    }
    const pose = estimateHeadPose(this.#open().pose, image, detection);
    this.#poses.set(detection, { image, pose });
    return pose;
  }

  estimateEyes(image: DecodedImage, detection: Detection): Promise<EyesEstimate> {
    return estimateEyes(this.#model('eye'), image, detection);
  }

  estimateEmotions(image: DecodedImage, detection: Detection): Promise<EmotionsEstimate> {
    return estimateEmotions(this.#model('expression'), image, detection);
  }

  async estimateQuality(image: DecodedImage, detection: Detection): Promise<FaceQuality> {
    return estimateFaceQuality(image, detection);
  }

  async close(): Promise<void> {
    const sessions = this.#sessions;
    this.#sessions = undefined;
    await releaseSessions(sessions ?? {});
  }

  #open(): Sessions {
    if (!this.#sessions) {
      throw new AppError('model_unavailable', 'vision pipeline is closed');
    }
    return this.#sessions;
  }

  #model(role: 'livenessV2' | 'livenessV1se' | 'expression' | 'eye'): ModelSession {
    const model = this.#open()[role];
    if (!model) {
      throw new AppError('model_unavailable', `the ${role} model is not installed`);
    }
    return model;
  }
}

/**
 * Loads the four required models and every estimator model given (one CPU session each,
 * `threads` intra-op threads, default 1) and returns the pipeline. Throws AppError
 * `model_unavailable` when a model file is missing or not a loadable ONNX graph.
 */
export async function createVision(options: VisionOptions): Promise<Vision> {
  const { threads } = options;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new AppError('internal_error', `vision threads must be a positive integer: ${threads}`);
  }
  const sessions = await openSessions(options.models, threads ?? 1, options.logger);
  return new OnnxVision(sessions, options.maxPixels);
}
