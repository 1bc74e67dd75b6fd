/** The decompression-bomb guard: refuses images whose declared size exceeds the pixel budget. */
import { AppError } from '../../../errors/index.ts';

/** Throws `image_too_large` when width × height exceeds `maxPixels`. */
export function assertPixelBudget(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new AppError(
      'image_too_large',
      `image is ${width}×${height} = ${width * height} pixels; the limit is ${maxPixels}`,
    );
  }
}
