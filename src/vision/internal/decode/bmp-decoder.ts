/**
 * Reader for Windows BMP files, which sharp's prebuilt libvips lacks: uncompressed 1/4/8-bit
 * palette, 16-bit and 32-bit (plain or bit-field masks) and 24-bit pixels. RLE is refused.
 */
import { AppError } from '../../../errors/index.ts';
import type { DecodedImage } from '../../types.ts';
import { assertPixelBudget } from './pixel-budget.ts';

const FILE_HEADER_BYTES = 14;
const CORE_HEADER_BYTES = 12;
const INFO_HEADER_BYTES = 40;
const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

/** The parts of a BMP header the pixel reader needs. */
export interface BmpHeader {
  width: number;
  height: number;
  /** True when the first stored row is the top one (negative height in the file). */
  topDown: boolean;
  bitsPerPixel: number;
  /** Offset of the first pixel row. */
  pixelOffset: number;
  /** Bytes per stored row (rows are padded to four bytes). */
  rowStride: number;
  /** Red, green, blue bit masks for 16- and 32-bit pixels. */
  masks: [number, number, number];
  /** Palette as RGB triples for 1-, 4- and 8-bit pixels. */
  palette: Uint8Array;
}

function failed(detail: string): AppError {
  return new AppError('image_decode_failed', `BMP: ${detail}`);
}

function defaultMasks(bitsPerPixel: number): [number, number, number] {
  return bitsPerPixel === 16 ? [0x7c00, 0x03e0, 0x001f] : [0xff0000, 0x00ff00, 0x0000ff];
}

function readMasks(view: DataView, compression: number, bpp: number): [number, number, number] {
  if (compression === BI_RGB) {
    return defaultMasks(bpp);
  }
  const at = FILE_HEADER_BYTES + INFO_HEADER_BYTES;
  return [view.getUint32(at, true), view.getUint32(at + 4, true), view.getUint32(at + 8, true)];
}

function readPalette(bytes: Uint8Array, at: number, count: number, entry: number): Uint8Array {
  const palette = new Uint8Array(count * 3);
  for (let i = 0; i < count && at + i * entry + 2 < bytes.length; i++) {
    palette[i * 3] = bytes[at + i * entry + 2]!;
    palette[i * 3 + 1] = bytes[at + i * entry + 1]!;
    palette[i * 3 + 2] = bytes[at + i * entry]!;
  }
  return palette;
}

interface RawFields {
  dibSize: number;
  width: number;
  height: number;
  bpp: number;
  compression: number;
  colorsUsed: number;
}

function readCoreFields(view: DataView): RawFields {
  return {
    dibSize: CORE_HEADER_BYTES,
    width: view.getUint16(18, true),
    height: view.getUint16(20, true),
    bpp: view.getUint16(24, true),
    compression: BI_RGB,
    colorsUsed: 0,
  };
}

function readRawFields(view: DataView): RawFields {
  const dibSize = view.getUint32(FILE_HEADER_BYTES, true);
  if (dibSize === CORE_HEADER_BYTES) {
    return readCoreFields(view);
  }
  if (dibSize < INFO_HEADER_BYTES || view.byteLength < FILE_HEADER_BYTES + INFO_HEADER_BYTES) {
    throw failed(`unknown header size ${dibSize}`);
  }
  return {
    dibSize,
    width: view.getInt32(18, true),
    height: view.getInt32(22, true),
    bpp: view.getUint16(28, true),
    compression: view.getUint32(30, true),
    colorsUsed: view.getUint32(46, true),
  };
}

function checkSupported(raw: RawFields): void {
  const plain = raw.compression === BI_RGB && [1, 4, 8, 16, 24, 32].includes(raw.bpp);
  const fields =
    (raw.compression === BI_BITFIELDS || raw.compression === BI_ALPHABITFIELDS) &&
    (raw.bpp === 16 || raw.bpp === 32);
  if (!plain && !fields) {
    const detail = `BMP compression ${raw.compression} at ${raw.bpp} bits is not supported`;
    throw new AppError('image_format_unsupported', detail);
  }
  if (raw.width <= 0 || raw.height === 0) {
    throw failed(`invalid size ${raw.width}×${raw.height}`);
  }
}

function paletteOffset(raw: RawFields): number {
  const inlineMasks = raw.dibSize === INFO_HEADER_BYTES && raw.compression !== BI_RGB;
  const maskBytes = raw.compression === BI_ALPHABITFIELDS ? 16 : 12;
  return FILE_HEADER_BYTES + raw.dibSize + (inlineMasks ? maskBytes : 0);
}

/** Parses and validates a BMP header; throws AppError for broken or refused files. */
export function readBmpHeader(bytes: Uint8Array): BmpHeader {
  if (bytes.length < FILE_HEADER_BYTES + CORE_HEADER_BYTES) {
    throw failed('file too short');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw = readRawFields(view);
  checkSupported(raw);
  const paletteSize = raw.bpp <= 8 ? Math.min(raw.colorsUsed || 2 ** raw.bpp, 2 ** raw.bpp) : 0;
  const entry = raw.dibSize === CORE_HEADER_BYTES ? 3 : 4;
  return {
    width: raw.width,
    height: Math.abs(raw.height),
    topDown: raw.height < 0,
    bitsPerPixel: raw.bpp,
    pixelOffset: view.getUint32(10, true),
    rowStride: Math.floor((raw.bpp * raw.width + 31) / 32) * 4,
    masks: readMasks(view, raw.compression, raw.bpp),
    palette: readPalette(bytes, paletteOffset(raw), paletteSize, entry),
  };
}

/** Scales the bits of `value` selected by `mask` to 0–255. */
export function maskedChannel(value: number, mask: number): number {
  if (mask === 0) {
    return 0;
  }
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) {
    shift++;
  }
  const max = mask >>> shift;
  return Math.round((((value & mask) >>> shift) * 255) / max);
}

type PixelReader = (row: number, x: number, out: Uint8Array, at: number) => void;

function paletteReader(bytes: Uint8Array, header: BmpHeader): PixelReader {
  const bpp = header.bitsPerPixel;
  const perByte = 8 / bpp;
  const mask = (1 << bpp) - 1;
  return (row, x, out, at) => {
    const byte = bytes[row + Math.floor(x / perByte)]!;
    const index = (byte >> (8 - bpp * ((x % perByte) + 1))) & mask;
    out.set(header.palette.subarray(index * 3, index * 3 + 3), at);
  };
}

function maskReader(view: DataView, header: BmpHeader): PixelReader {
  const wide = header.bitsPerPixel === 32;
  const [r, g, b] = header.masks;
  return (row, x, out, at) => {
    const value = wide ? view.getUint32(row + x * 4, true) : view.getUint16(row + x * 2, true);
    out[at] = maskedChannel(value, r);
    out[at + 1] = maskedChannel(value, g);
    out[at + 2] = maskedChannel(value, b);
  };
}

function pixelReader(bytes: Uint8Array, header: BmpHeader): PixelReader {
  if (header.bitsPerPixel <= 8) {
    return paletteReader(bytes, header);
  }
  if (header.bitsPerPixel === 24) {
    return (row, x, out, at) => {
      out[at] = bytes[row + x * 3 + 2]!;
      out[at + 1] = bytes[row + x * 3 + 1]!;
      out[at + 2] = bytes[row + x * 3]!;
    };
  }
  return maskReader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), header);
}

/** Decodes the pixels described by `header` into 8-bit RGB. */
export function readBmpPixels(bytes: Uint8Array, header: BmpHeader): DecodedImage {
  const { width, height, rowStride, pixelOffset } = header;
  const lastRowBytes = Math.ceil((header.bitsPerPixel * width) / 8);
  if (pixelOffset + rowStride * (height - 1) + lastRowBytes > bytes.length) {
    throw failed('pixel data truncated');
  }
  const read = pixelReader(bytes, header);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (header.topDown ? y : height - 1 - y) * rowStride;
    for (let x = 0; x < width; x++) {
      read(row, x, data, (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

/** Decodes a BMP file to 8-bit RGB, refusing more than `maxPixels` before reading pixels. */
export function decodeBmp(bytes: Uint8Array, maxPixels: number): DecodedImage {
  const header = readBmpHeader(bytes);
  assertPixelBudget(header.width, header.height, maxPixels);
  return readBmpPixels(bytes, header);
}
