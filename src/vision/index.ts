/** Public face of the vision module: image decoding, face detection, alignment, descriptors. */
export { createVision } from './create-vision.ts';
export type {
  BasicAttributes,
  DecodedImage,
  Detection,
  DetectOptions,
  FaceCrop,
  Landmark,
  ModelPaths,
  Rect,
  Vision,
  VisionOptions,
} from './types.ts';
