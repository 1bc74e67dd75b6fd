/** Public types of the vision pipeline: decoded images, detections, face crops, the service. */
import type { Logger } from '../logger/index.ts';
import type { Emotion } from './emotions.ts';

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

/**
 * Absolute paths of the ONNX model files the pipeline loads. The estimator models are optional
 * here: an estimator whose model is absent throws AppError `model_unavailable` when asked
 * (head pose falls back to the landmarks instead).
 */
export interface ModelPaths {
  /** YuNet face detector (yunet_n_dynamic.onnx). */
  detector: string;
  /** MobileFaceNet recognizer (fr_feature.onnx). */
  recognizer: string;
  /** SSR-Net age regressor (fr_age.onnx). */
  age: string;
  /** SSR-Net gender regressor (fr_gender.onnx). */
  gender: string;
  /** MiniFASNet V2 anti-spoofing (MiniFASNetV2.onnx); liveness needs it and `livenessV1se`. */
  livenessV2?: string;
  /** MiniFASNet V1SE anti-spoofing (MiniFASNetV1SE.onnx). */
  livenessV1se?: string;
  /** Facial expression, 7 classes (fr_expression.onnx). */
  expression?: string;
  /** Eye open/closed (fr_eye.onnx). */
  eye?: string;
  /** Head pose (fr_pose.onnx). */
  pose?: string;
}

/** Liveness of one face. */
export interface LivenessEstimate {
  /** `unknown` when the face cannot be judged (see `reason`). */
  prediction: 'real' | 'spoof' | 'unknown';
  /** Probability that the face is real, in [0, 1]: the mean of the two models. */
  probability: number;
  /** Set with `unknown`: `face_too_small`, `face_cut_by_frame_edge` or `face_turned`. */
  reason?: string;
}

/**
 * Head pose in degrees. Yaw > 0: the subject turns to their right (the nose points to the
 * image's left); pitch > 0: looks up; roll > 0: the head leans clockwise in the image.
 */
export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

/** The state of one eye. */
export interface EyeEstimate {
  state: 'open' | 'closed';
  /** Probability that the eye is open, in [0, 1]; `open` from 0.5. */
  openProbability: number;
}

/** Both eyes, by the subject's sides. */
export interface EyesEstimate {
  right: EyeEstimate;
  left: EyeEstimate;
}

/** Facial expression: a probability per emotion (summing to 1) and the most probable one. */
export interface EmotionsEstimate {
  probabilities: Record<Emotion, number>;
  predominant: Emotion;
}

/** Image quality of one face. Fault figures are in [0, 1], 0 meaning none. */
export interface FaceQuality {
  /** 0 sharp … 1 featureless; about 0.2 for a typical press photo, 0.7 after a σ 2 blur. */
  blur: number;
  /** Share of the inner face that is nearly black (luma ≤ 40). */
  underexposure: number;
  /** Share of the inner face that is blown out (luma ≥ 235). */
  overexposure: number;
  /** Shorter side of the face box, in source pixels. */
  faceSize: number;
  /** Distance between the eye centres, in source pixels. */
  eyeDistance: number;
  /** Overall quality in [0, 1]: size × sharpness × exposure; about 0.8 for a good photo. */
  score: number;
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

/** The vision pipeline: decode → detect → warp → extract, plus the face estimators. */
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
  /**
   * Liveness of one detected face (MiniFASNet V2 + V1SE): `real` when the real-probability
   * reaches `threshold` (default 0.5), else `spoof`; `unknown` with a reason when the face is
   * too small, cut by the frame edge or too turned.
   */
  estimateLiveness(
    image: DecodedImage,
    detection: Detection,
    threshold?: number,
  ): Promise<LivenessEstimate>;
  /** Head pose of one detected face (fr_pose, or the landmarks when it is not installed). */
  estimateHeadPose(image: DecodedImage, detection: Detection): Promise<HeadPose>;
  /** Open or closed, per eye (fr_eye). */
  estimateEyes(image: DecodedImage, detection: Detection): Promise<EyesEstimate>;
  /** Emotion probabilities (fr_expression). */
  estimateEmotions(image: DecodedImage, detection: Detection): Promise<EmotionsEstimate>;
  /** Blur, exposure, size and an overall score (no model). */
  estimateQuality(image: DecodedImage, detection: Detection): Promise<FaceQuality>;
  /** Tag stored with every descriptor; descriptors of different versions never compare. */
  readonly descriptorVersion: string;
  /** The onnxruntime execution provider in use. */
  readonly executionProvider: string;
  /** Releases the ONNX sessions; the instance is unusable afterwards. */
  close(): Promise<void>;
}
