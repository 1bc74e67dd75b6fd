/**
 * A Vision whose descriptor extraction follows the served version: after a model upgrade the
 * samples of new requests are described by the recognizer matching serves, under its tag. Every
 * other model of the underlying Vision is used as is.
 */
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
} from './types.ts';

/** A recognizer tagged with its descriptor version. */
export interface TaggedExtractor {
  readonly version: string;
  extract(crops: FaceCrop[]): Promise<Float32Array[]>;
}

/** Delegates every model to `vision` except the recognizer, which `serving()` names per call. */
class ServingVision implements Vision {
  constructor(
    private readonly vision: Vision,
    private readonly serving: () => TaggedExtractor,
  ) {}

  get descriptorVersion(): string {
    return this.serving().version;
  }

  get executionProvider(): string {
    return this.vision.executionProvider;
  }

  extract(crops: FaceCrop[]): Promise<Float32Array[]> {
    return this.serving().extract(crops);
  }

  decode(bytes: Uint8Array): Promise<DecodedImage> {
    return this.vision.decode(bytes);
  }

  detect(image: DecodedImage, options?: DetectOptions): Promise<Detection[]> {
    return this.vision.detect(image, options);
  }

  warp(image: DecodedImage, detection: Detection): Promise<FaceCrop> {
    return this.vision.warp(image, detection);
  }

  encodeCrop(crop: FaceCrop): Promise<Buffer> {
    return this.vision.encodeCrop(crop);
  }

  decodeCrop(jpeg: Uint8Array): Promise<FaceCrop> {
    return this.vision.decodeCrop(jpeg);
  }

  estimateBasic(crops: FaceCrop[]): Promise<BasicAttributes[]> {
    return this.vision.estimateBasic(crops);
  }

  estimateLiveness(
    image: DecodedImage,
    detection: Detection,
    threshold?: number,
  ): Promise<LivenessEstimate> {
    return this.vision.estimateLiveness(image, detection, threshold);
  }

  estimateHeadPose(image: DecodedImage, detection: Detection): Promise<HeadPose> {
    return this.vision.estimateHeadPose(image, detection);
  }

  estimateEyes(image: DecodedImage, detection: Detection): Promise<EyesEstimate> {
    return this.vision.estimateEyes(image, detection);
  }

  estimateEmotions(image: DecodedImage, detection: Detection): Promise<EmotionsEstimate> {
    return this.vision.estimateEmotions(image, detection);
  }

  estimateQuality(image: DecodedImage, detection: Detection): Promise<FaceQuality> {
    return this.vision.estimateQuality(image, detection);
  }

  close(): Promise<void> {
    return this.vision.close();
  }
}

/** `vision` with `descriptorVersion` and `extract` taken from `serving()` at each call. */
export function servingVision(vision: Vision, serving: () => TaggedExtractor): Vision {
  return new ServingVision(vision, serving);
}
