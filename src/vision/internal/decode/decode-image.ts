/**
 * Image bytes → 8-bit RGB: picks the decoder by magic bytes, enforces the pixel budget from the
 * header before decoding, applies EXIF orientation and maps every failure to an AppError.
 */
import sharp from 'sharp';
import { AppError } from '../../../errors/index.ts';
import type { DecodedImage } from '../../types.ts';
import { decodeBmp } from './bmp-decoder.ts';
import { assertPixelBudget } from './pixel-budget.ts';
import { decodePnm } from './pnm-decoder.ts';
import { type SharpFormat, sniffFormat } from './sniff-format.ts';

// Composited under transparent pixels so they read as a plain light background.
const ALPHA_BACKGROUND = '#ffffff';

function sharpFailure(error: unknown): AppError {
  if (error instanceof AppError) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new AppError('image_too_large', message);
  }
  return new AppError('image_decode_failed', message);
}

async function checkHeader(bytes: Uint8Array, format: SharpFormat, maxPixels: number) {
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  if (meta.format !== format) {
    throw new AppError('image_decode_failed', `${format} signature but ${meta.format} content`);
  }
  assertPixelBudget(meta.width, meta.height, maxPixels);
}

async function decodePixels(bytes: Uint8Array, maxPixels: number): Promise<DecodedImage> {
  const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
    .rotate()
    .flatten({ background: ALPHA_BACKGROUND })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) {
    throw new AppError('image_decode_failed', `decoded to ${info.channels} channels, not 3`);
  }
  return { width: info.width, height: info.height, data };
}

async function decodeWithSharp(
  bytes: Uint8Array,
  format: SharpFormat,
  maxPixels: number,
): Promise<DecodedImage> {
  try {
    await checkHeader(bytes, format, maxPixels);
    return await decodePixels(bytes, maxPixels);
  } catch (error) {
    throw sharpFailure(error);
  }
}

/**
 * Decodes JPEG, PNG, WebP, TIFF (via sharp), BMP and binary PPM/PGM (own readers) to 8-bit RGB
 * with EXIF orientation applied. Throws AppError `image_format_unsupported` for recognised but
 * refused formats, `image_too_large` above `maxPixels`, `image_decode_failed` otherwise.
 */
export async function decodeImage(bytes: Uint8Array, maxPixels: number): Promise<DecodedImage> {
  const sniffed = sniffFormat(bytes);
  switch (sniffed.kind) {
    case 'sharp':
      return decodeWithSharp(bytes, sniffed.format, maxPixels);
    case 'own':
      return sniffed.format === 'bmp' ? decodeBmp(bytes, maxPixels) : decodePnm(bytes, maxPixels);
    case 'refused':
      throw new AppError('image_format_unsupported', `${sniffed.format} images are not supported`);
    case 'unknown':
      throw new AppError('image_decode_failed', 'bytes are not an image in a known format');
  }
}
