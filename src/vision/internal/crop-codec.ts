/** Stored samples: a 112×112 face crop to JPEG and back. */
import sharp from 'sharp';
import { AppError } from '../../errors/index.ts';
import type { FaceCrop } from '../types.ts';
import { assertCrop, CROP_SIZE } from './image-checks.ts';

// High quality and no chroma subsampling: samples are re-extracted when models change.
const JPEG_OPTIONS = { quality: 95, chromaSubsampling: '4:4:4' } as const;

/** Encodes a crop as a JPEG sample. */
export async function encodeCrop(crop: FaceCrop): Promise<Buffer> {
  assertCrop(crop);
  const raw = { width: CROP_SIZE, height: CROP_SIZE, channels: 3 as const };
  return sharp(crop.data, { raw }).jpeg(JPEG_OPTIONS).toBuffer();
}

async function readSample(bytes: Uint8Array) {
  try {
    return await sharp(bytes, { limitInputPixels: CROP_SIZE * CROP_SIZE, failOn: 'error' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('image_decode_failed', `sample is not a decodable image: ${reason}`);
  }
}

/** Decodes a stored sample; throws AppError `image_decode_failed` unless it is a 112×112 crop. */
export async function decodeCrop(bytes: Uint8Array): Promise<FaceCrop> {
  const { data, info } = await readSample(bytes);
  if (info.width !== CROP_SIZE || info.height !== CROP_SIZE || info.channels !== 3) {
    throw new AppError('image_decode_failed', `sample must be ${CROP_SIZE}×${CROP_SIZE}`);
  }
  return { width: CROP_SIZE, height: CROP_SIZE, data };
}
