/** Test-only writers for BMP and Netpbm files, to feed the decoders known pixels. */

/** Interleaved 8-bit RGB pixels. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** How to store a BMP. */
export interface BmpLayout {
  bitsPerPixel: 8 | 24 | 32;
  /** Store rows top to bottom (negative height). */
  topDown?: boolean;
  /** For 32 bits: write BI_BITFIELDS masks for this channel order instead of plain BGRX. */
  masks?: [number, number, number];
}

function grey(image: RgbImage, p: number): number {
  return Math.round((image.data[p * 3]! + image.data[p * 3 + 1]! + image.data[p * 3 + 2]!) / 3);
}

function writePixel(row: DataView, x: number, image: RgbImage, p: number, layout: BmpLayout) {
  const [r, g, b] = [image.data[p * 3]!, image.data[p * 3 + 1]!, image.data[p * 3 + 2]!];
  if (layout.bitsPerPixel === 8) {
    row.setUint8(x, grey(image, p));
  } else if (layout.bitsPerPixel === 24) {
    for (const [i, v] of [b, g, r].entries()) {
      row.setUint8(x * 3 + i, v);
    }
  } else {
    const [mr, mg, mb] = layout.masks ?? [0xff0000, 0xff00, 0xff];
    const shift = (mask: number) => Math.clz32(1) - Math.clz32(mask & -mask);
    const value = (r << shift(mr)) | (g << shift(mg)) | (b << shift(mb));
    row.setUint32(x * 4, value >>> 0, true);
  }
}

/** Encodes `image` as a BMP (8-bit stores a grey palette of the pixel means). */
export function writeBmp(image: RgbImage, layout: BmpLayout): Uint8Array {
  const { width, height } = image;
  const stride = Math.floor((layout.bitsPerPixel * width + 31) / 32) * 4;
  const extra = (layout.bitsPerPixel === 8 ? 1024 : 0) + (layout.masks ? 12 : 0);
  const offset = 54 + extra;
  const bytes = new Uint8Array(offset + stride * height);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, offset, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, layout.topDown ? -height : height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, layout.bitsPerPixel, true);
  view.setUint32(30, layout.masks ? 3 : 0, true);
  for (const [i, mask] of (layout.masks ?? []).entries()) {
    view.setUint32(54 + i * 4, mask, true);
  }
  if (layout.bitsPerPixel === 8) {
    for (let i = 0; i < 256; i++) {
      view.setUint32(54 + i * 4, (i << 16) | (i << 8) | i, true);
    }
  }
  for (let y = 0; y < height; y++) {
    const stored = layout.topDown ? y : height - 1 - y;
    const row = new DataView(bytes.buffer, offset + stored * stride, stride);
    for (let x = 0; x < width; x++) {
      writePixel(row, x, image, y * width + x, layout);
    }
  }
  return bytes;
}

/** Encodes `image` as binary PPM (P6) or, with `grey`, PGM (P5) of the pixel means. */
export function writePnm(image: RgbImage, options: { grey?: boolean; maxValue?: number } = {}) {
  const max = options.maxValue ?? 255;
  const channels = options.grey ? 1 : 3;
  const wide = max > 255;
  const header = new TextEncoder().encode(
    `${options.grey ? 'P5' : 'P6'}\n# written by a test\n${image.width} ${image.height}\n${max}\n`,
  );
  const samples = image.width * image.height * channels;
  const bytes = new Uint8Array(header.length + samples * (wide ? 2 : 1));
  bytes.set(header);
  for (let i = 0; i < samples; i++) {
    const v8 = options.grey ? grey(image, i) : image.data[i]!;
    const v = Math.round((v8 * max) / 255);
    if (wide) {
      bytes[header.length + i * 2] = v >> 8;
      bytes[header.length + i * 2 + 1] = v & 0xff;
    } else {
      bytes[header.length + i] = v;
    }
  }
  return bytes;
}

/** A small deterministic test image with distinct colours per pixel. */
export function testPattern(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const x = p % width;
    const y = Math.floor(p / width);
    data.set([(x * 37) % 256, (y * 59) % 256, (x * y * 13 + 7) % 256], p * 3);
  }
  return { width, height, data };
}
