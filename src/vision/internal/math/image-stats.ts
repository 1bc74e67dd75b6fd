/**
 * Pixel statistics of a face crop: luma, sharpness as the variance of the Laplacian, and the
 * shares of nearly black and blown-out pixels. Pure functions over interleaved RGB bytes.
 */

/** Interleaved 8-bit RGB pixels. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A window of a plane, in whole pixels: columns [x0, x1), rows [y0, y1). */
export interface Window {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Rec. 601 luma of every pixel (0–255), row by row. */
export function lumaPlane(image: RgbImage): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d = image.data;
    out[i] = 0.299 * d[i * 3]! + 0.587 * d[i * 3 + 1]! + 0.114 * d[i * 3 + 2]!;
  }
  return out;
}

/**
 * Variance of the 4-neighbour Laplacian of `luma` (a `width`-wide plane) over `window`, which
 * must keep one pixel away from the plane's edges. High for sharp detail, near 0 when blurred.
 */
export function laplacianVariance(luma: Float32Array, width: number, window: Window): number {
  let sum = 0;
  let squares = 0;
  let n = 0;
  for (let y = window.y0; y < window.y1; y++) {
    for (let x = window.x0; x < window.x1; x++) {
      const i = y * width + x;
      const l = luma[i - width]! + luma[i + width]! + luma[i - 1]! + luma[i + 1]! - 4 * luma[i]!;
      sum += l;
      squares += l * l;
      n++;
    }
  }
  return n === 0 ? 0 : squares / n - (sum / n) ** 2;
}

/** How the luma of a window is spread. */
export interface ExposureStats {
  mean: number;
  /** Share of pixels at or below the dark limit. */
  darkShare: number;
  /** Share of pixels at or above the bright limit. */
  brightShare: number;
}

/** Mean luma and the shares at or below `dark` and at or above `bright` over `window`. */
export function exposureStats(
  luma: Float32Array,
  width: number,
  window: Window,
  limits: { dark: number; bright: number },
): ExposureStats {
  let sum = 0;
  let darkCount = 0;
  let brightCount = 0;
  let n = 0;
  for (let y = window.y0; y < window.y1; y++) {
    for (let x = window.x0; x < window.x1; x++) {
      const v = luma[y * width + x]!;
      sum += v;
      darkCount += v <= limits.dark ? 1 : 0;
      brightCount += v >= limits.bright ? 1 : 0;
      n++;
    }
  }
  if (n === 0) {
    return { mean: 0, darkShare: 0, brightShare: 0 };
  }
  return { mean: sum / n, darkShare: darkCount / n, brightShare: brightCount / n };
}
