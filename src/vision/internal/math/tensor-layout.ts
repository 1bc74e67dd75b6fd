/**
 * Turns interleaved 8-bit RGB pixels into the planar float tensors the networks take:
 * channel order, per-channel mean and scale, and zero padding on the right and bottom.
 */

/** How to lay out and normalise pixels: value = (pixel − mean[c]) × scale[c]. */
export interface PlanarSpec {
  order: 'rgb' | 'bgr';
  mean: readonly [number, number, number];
  scale: readonly [number, number, number];
  /** Output plane width; at least the image width (extra columns hold 0). */
  width: number;
  /** Output plane height; at least the image height (extra rows hold 0). */
  height: number;
}

/** Pixels of one interleaved RGB image. */
export interface RgbPixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Writes `image` into `out` (length 3 × spec.width × spec.height, NCHW with N = 1) at `offset`.
 * Padding cells are left untouched, so pass a zero-filled array when padding is needed.
 */
export function writePlanar(
  image: RgbPixels,
  spec: PlanarSpec,
  out: Float32Array,
  offset = 0,
): void {
  const plane = spec.width * spec.height;
  const source = spec.order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  for (let c = 0; c < 3; c++) {
    const from = source[c]!;
    const mean = spec.mean[c]!;
    const scale = spec.scale[c]!;
    const base = offset + c * plane;
    for (let y = 0; y < image.height; y++) {
      const row = base + y * spec.width;
      const src = y * image.width * 3 + from;
      for (let x = 0; x < image.width; x++) {
        out[row + x] = (image.data[src + x * 3]! - mean) * scale;
      }
    }
  }
}

/** Returns a new zero-padded planar tensor of `image` laid out by `spec`. */
export function toPlanar(image: RgbPixels, spec: PlanarSpec): Float32Array {
  if (image.width > spec.width || image.height > spec.height) {
    throw new RangeError('image is larger than the tensor plane');
  }
  const out = new Float32Array(3 * spec.width * spec.height);
  writePlanar(image, spec, out);
  return out;
}

/** Rounds `value` up to the next multiple of `step`. */
export function roundUpTo(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}
