/** Guards for images handed in by callers: the RGB layout the pipeline relies on. */
import { AppError } from '../../errors/index.ts';
import type { DecodedImage, Detection, FaceCrop } from '../types.ts';

/** Side of the aligned face crop, in pixels. */
export const CROP_SIZE = 112;

/** Throws AppError `bad_request` unless `image` is interleaved 8-bit RGB of its stated size. */
export function assertRgbImage(image: DecodedImage): void {
  const ok =
    Number.isInteger(image.width) &&
    Number.isInteger(image.height) &&
    image.width > 0 &&
    image.height > 0 &&
    image.data.length === image.width * image.height * 3;
  if (!ok) {
    throw new AppError('bad_request', 'image must be interleaved 8-bit RGB of its stated size');
  }
}

/** Throws AppError `bad_request` unless `crop` is a 112×112 RGB crop. */
export function assertCrop(crop: FaceCrop): void {
  assertRgbImage(crop);
  if (crop.width !== CROP_SIZE || crop.height !== CROP_SIZE) {
    throw new AppError('bad_request', `face crop must be ${CROP_SIZE}×${CROP_SIZE} RGB`);
  }
}

/** Throws AppError `bad_request` unless `detection` has five finite landmarks. */
export function assertLandmarks(detection: Detection): void {
  const points = detection.landmarks5;
  const ok = points.length === 5 && points.every((p) => p.every((v) => Number.isFinite(v)));
  if (!ok) {
    throw new AppError('bad_request', 'detection must carry five finite landmarks');
  }
}
