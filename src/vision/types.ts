/** Public types of the vision pipeline: decoded images, detections, face crops, the service. */
import type { Logger } from '../logger/index.ts';

/** A decoded image: interleaved 8-bit RGB, 3 channels, EXIF orientation already applied. */
export interface DecodedImage {
  width: number;
  height: number;
  /** width × height × 3 bytes, rows top to bottom, pixels left to right, R G B. */
  data: Buffer;
}

/**
 * A face aligned to the 112×112 ArcFace template by a 5-point similarity transform: the same
 * layout as {@link DecodedImage}, always 112×112.
 */
export type FaceCrop = DecodedImage;

/** An axis-aligned rectangle in image pixels; pixel edges at integers ({0, 0, W, H} is all). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An (x, y) point in image pixels; pixel centres at integers (the first pixel is at 0, 0). */
export type Landmark = [number, number];

/** One detected face, in the pixels of the image given to `detect`. */
export interface Detection {
  /** The face box, clipped to the image. */
  rect: Rect;
  /** Detector confidence in [0, 1]. */
  score: number;
  /** Right eye, left eye, nose tip, right mouth corner, left mouth corner (subject's sides). */
  landmarks5: Landmark[];
}

/** Basic attributes of one face. */
export interface BasicAttributes {
  /** Estimated age in years (SSR-Net regression, about 0–100). */
  age: number;
  /**
   * Gender score in [0, 1] (SSR-Net regression, clamped): 0 means female, 1 male, values near
   * 0.5 are uncertain; threshold at 0.5 for a class. About 88 % correct on LFW photos.
   */
  gender: number;
}

/** Absolute paths of the ONNX model files the pipeline loads. */
export interface ModelPaths {
  /** YuNet face detector (yunet_n_dynamic.onnx). */
  detector: string;
  /** MobileFaceNet recognizer (fr_feature.onnx). */
  recognizer: string;
  /** SSR-Net age regressor (fr_age.onnx). */
  age: string;
  /** SSR-Net gender regressor (fr_gender.onnx). */
  gender: string;
}

/** Options of {@link createVision}. */
export interface VisionOptions {
  models: ModelPaths;
  /** Intra-op threads per ONNX session; default 1. */
  threads?: number;
  /** Largest decoded image, in pixels (width × height); larger inputs are refused. */
  maxPixels: number;
  logger?: Logger;
}

/** Options of {@link Vision.detect}. */
export interface DetectOptions {
  /** Lowest detector score kept, in [0, 1]; default 0.6. */
  scoreThreshold?: number;
}

/** The vision pipeline: decode → detect → warp → extract, plus age and gender. */
export interface Vision {
  /**
   * Decodes JPEG, PNG, WebP, TIFF, BMP or binary PPM/PGM bytes (told apart by magic bytes) to
   * 8-bit RGB with EXIF orientation applied. Throws AppError `image_decode_failed`,
   * `image_too_large` or `image_format_unsupported`.
   */
  decode(bytes: Uint8Array): Promise<DecodedImage>;
  /**
   * Finds faces; best score first. Frames longer than 640 px are searched scaled down (faces
   * from about 30 px wide in a 1080p frame), small faces then re-located at full resolution.
   */
  detect(image: DecodedImage, options?: DetectOptions): Promise<Detection[]>;
  /** Aligns one detected face to the 112×112 template. */
  warp(image: DecodedImage, detection: Detection): Promise<FaceCrop>;
  /** Encodes a crop as JPEG (the stored "sample"). */
  encodeCrop(crop: FaceCrop): Promise<Buffer>;
  /** Decodes a stored sample back to a crop; throws AppError `image_decode_failed`. */
  decodeCrop(jpeg: Uint8Array): Promise<FaceCrop>;
  /** Descriptors of crops: 512 floats each, L2-normalised, compared by cosine (dot product). */
  extract(crops: FaceCrop[]): Promise<Float32Array[]>;
  /** Age and gender of crops, in input order. */
  estimateBasic(crops: FaceCrop[]): Promise<BasicAttributes[]>;
  /** Tag stored with every descriptor; descriptors of different versions never compare. */
  readonly descriptorVersion: string;
  /** The onnxruntime execution provider in use. */
  readonly executionProvider: string;
  /** Releases the ONNX sessions; the instance is unusable afterwards. */
  close(): Promise<void>;
}
