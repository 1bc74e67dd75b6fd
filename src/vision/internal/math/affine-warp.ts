/**
 * Bilinear resampling of an interleaved 8-bit image through an affine map. Pixel centres sit at
 * integer coordinates; samples outside the source read as 0 (black), like a constant border.
 */
import type { Affine } from './similarity-transform.ts';

/** Interleaved 8-bit pixels with any channel count. */
export interface PixelGrid {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

function texel(src: PixelGrid, x: number, y: number, c: number): number {
  if (x < 0 || y < 0 || x >= src.width || y >= src.height) {
    return 0;
  }
  return src.data[(y * src.width + x) * src.channels + c]!;
}

/** Bilinear sample of channel `c` at the real-valued position (x, y). */
export function sampleBilinear(src: PixelGrid, x: number, y: number, c: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const top = texel(src, x0, y0, c) * (1 - fx) + texel(src, x0 + 1, y0, c) * fx;
  const bottom = texel(src, x0, y0 + 1, c) * (1 - fx) + texel(src, x0 + 1, y0 + 1, c) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Bilinear sample of every channel at (x, y) into `out` at `base`, for a point whose 2×2
 * neighbourhood lies inside the source (no bounds checks; same arithmetic as sampleBilinear). */
function sampleInside(src: PixelGrid, x: number, y: number, out: Buffer, base: number): void {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const { channels, data } = src;
  const row = src.width * channels;
  const i00 = (y0 * src.width + x0) * channels;
  for (let ch = 0; ch < channels; ch++) {
    const i = i00 + ch;
    const top = data[i]! * (1 - fx) + data[i + channels]! * fx;
    const bottom = data[i + row]! * (1 - fx) + data[i + row + channels]! * fx;
    out[base + ch] = Math.round(top * (1 - fy) + bottom * fy);
  }
}

/**
 * Renders a `width` × `height` image whose pixel (u, v) is the bilinear sample of `src` at
 * `dstToSrc`(u, v). Values are rounded to the nearest integer.
 */
export function warpAffine(
  src: PixelGrid,
  dstToSrc: Affine,
  width: number,
  height: number,
): Buffer {
  const { channels } = src;
  const out = Buffer.alloc(width * height * channels);
  const [a, b, c, d, e, f] = dstToSrc;
  const maxX = src.width - 1;
  const maxY = src.height - 1;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const x = a * u + b * v + c;
      const y = d * u + e * v + f;
      const base = (v * width + u) * channels;
      if (x >= 0 && y >= 0 && x < maxX && y < maxY) {
        sampleInside(src, x, y, out, base);
        continue;
      }
      for (let ch = 0; ch < channels; ch++) {
        out[base + ch] = Math.round(sampleBilinear(src, x, y, ch));
      }
    }
  }
  return out;
}
