/**
 * Public face of the vision module: image decoding, face detection, alignment, descriptors and
 * the face estimators (liveness, head pose, eyes, emotions, quality).
 */
export { createVision } from './create-vision.ts';
export { EMOTIONS, type Emotion } from './emotions.ts';
export { DEFAULT_LIVENESS_THRESHOLD } from './internal/liveness.ts';
export { eyeDistance } from './internal/math/face-geometry.ts';
export { openRecognizer, type Recognizer } from './open-recognizer.ts';
export { servingVision, type TaggedExtractor } from './serving-vision.ts';
export type {
  BasicAttributes,
  DecodedImage,
  Detection,
  DetectOptions,
  EmotionsEstimate,
  EyeEstimate,
  EyesEstimate,
  FaceCrop,
  FaceQuality,
  HeadPose,
  Landmark,
  LivenessEstimate,
  ModelPaths,
  Rect,
  Vision,
  VisionOptions,
} from './types.ts';
