/**
 * Reader for binary Netpbm images, which sharp's prebuilt libvips lacks: P6 (RGB) and P5
 * (grey), 8- or 16-bit samples, scaled to 8-bit RGB. Other Netpbm variants are refused.
 */
import { AppError } from '../../../errors/index.ts';
import type { DecodedImage } from '../../types.ts';
import { assertPixelBudget } from './pixel-budget.ts';

/** A parsed Netpbm header. */
export interface PnmHeader {
  channels: 1 | 3;
  width: number;
  height: number;
  maxValue: number;
  /** Offset of the first sample. */
  dataOffset: number;
}

const HEADER_FIELDS = 3;
const MAX_TOKEN_DIGITS = 10;

function failed(detail: string): AppError {
  return new AppError('image_decode_failed', `PNM: ${detail}`);
}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0b;
}

function skipSpaceAndComments(bytes: Uint8Array, pos: number): number {
  let at = pos;
  while (at < bytes.length && (isSpace(bytes[at]) || bytes[at] === 0x23)) {
    if (bytes[at] === 0x23) {
      while (at < bytes.length && bytes[at] !== 0x0a && bytes[at] !== 0x0d) {
        at++;
      }
    } else {
      at++;
    }
  }
  return at;
}

function readNumber(bytes: Uint8Array, pos: number): [number, number] {
  let at = skipSpaceAndComments(bytes, pos);
  let text = '';
  while (at < bytes.length && bytes[at]! >= 0x30 && bytes[at]! <= 0x39) {
    text += String.fromCharCode(bytes[at]!);
    at++;
  }
  if (text === '' || text.length > MAX_TOKEN_DIGITS) {
    throw failed('malformed header');
  }
  return [Number(text), at];
}

function channelsOf(bytes: Uint8Array): 1 | 3 {
  const variant = String.fromCharCode(bytes[0]!, bytes[1]!);
  if (variant === 'P6') {
    return 3;
  }
  if (variant === 'P5') {
    return 1;
  }
  throw new AppError('image_format_unsupported', `Netpbm ${variant} is not supported`);
}

/** Parses a P5/P6 header; throws AppError for malformed or refused files. */
export function readPnmHeader(bytes: Uint8Array): PnmHeader {
  const channels = channelsOf(bytes);
  const values: number[] = [];
  let pos = 2;
  for (let i = 0; i < HEADER_FIELDS; i++) {
    const [value, next] = readNumber(bytes, pos);
    values.push(value);
    pos = next;
  }
  const [width, height, maxValue] = values as [number, number, number];
  if (!isSpace(bytes[pos]) || width < 1 || height < 1 || maxValue < 1 || maxValue > 65535) {
    throw failed('malformed header');
  }
  return { channels, width, height, maxValue, dataOffset: pos + 1 };
}

function sampleReader(bytes: Uint8Array, header: PnmHeader): (index: number) => number {
  const { dataOffset, maxValue } = header;
  const scale = 255 / maxValue;
  if (maxValue < 256) {
    return (i) => Math.min(255, Math.round(bytes[dataOffset + i]! * scale));
  }
  return (i) => {
    const at = dataOffset + i * 2;
    return Math.min(255, Math.round(((bytes[at]! << 8) | bytes[at + 1]!) * scale));
  };
}

/** Decodes the samples described by `header` into 8-bit RGB. */
export function readPnmPixels(bytes: Uint8Array, header: PnmHeader): DecodedImage {
  const { width, height, channels } = header;
  const samples = width * height * channels;
  const sampleBytes = header.maxValue < 256 ? 1 : 2;
  if (header.dataOffset + samples * sampleBytes > bytes.length) {
    throw failed('pixel data truncated');
  }
  const read = sampleReader(bytes, header);
  const data = Buffer.alloc(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      data[p * 3 + c] = read(channels === 3 ? p * 3 + c : p);
    }
  }
  return { width, height, data };
}

/** Decodes a P5/P6 file to 8-bit RGB, refusing more than `maxPixels` before reading pixels. */
export function decodePnm(bytes: Uint8Array, maxPixels: number): DecodedImage {
  const header = readPnmHeader(bytes);
  assertPixelBudget(header.width, header.height, maxPixels);
  return readPnmPixels(bytes, header);
}
