/**
 * What happens to uploads before they are stored: origin images must be images sharp can
 * read and are kept as uploaded or re-encoded to JPEG; objects are kept as they are, with the
 * content type the client declared.
 */
import sharp from 'sharp';
import { AppError } from '../errors/index.ts';
import type { Upload, UploadPreparer } from './stored-file-service.ts';

/** How origin images are kept: the uploaded bytes, or re-encoded as JPEG. */
export type ImageStoreFormat = 'original' | 'jpeg';

const IMAGE_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tiff: 'image/tiff',
  gif: 'image/gif',
  heif: 'image/heif',
  avif: 'image/avif',
};

const JPEG_QUALITY = 90;

async function imageFormatOf(bytes: Uint8Array): Promise<string> {
  try {
    const { format } = await sharp(bytes).metadata();
    return format ?? '';
  } catch {
    throw new AppError('image_decode_failed', 'the body is not a readable image');
  }
}

async function toJpeg(bytes: Uint8Array, maxPixels: number): Promise<Uint8Array> {
  try {
    return await sharp(bytes, { limitInputPixels: maxPixels })
      .rotate()
      .jpeg({ quality: JPEG_QUALITY })
      .toBuffer();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError('image_decode_failed', `image could not be re-encoded: ${reason}`);
  }
}

/** Checks that an upload is an image; re-encodes it to JPEG (EXIF orientation applied) if asked. */
export function imagePreparer(format: ImageStoreFormat, maxPixels: number): UploadPreparer {
  return async (upload: Upload) => {
    const type = IMAGE_TYPES[await imageFormatOf(upload.bytes)];
    if (!type) {
      throw new AppError(
        'image_format_unsupported',
        'store JPEG, PNG, WebP, TIFF, GIF or HEIF images',
      );
    }
    if (format === 'original') {
      return { bytes: upload.bytes, contentType: type };
    }
    return { bytes: await toJpeg(upload.bytes, maxPixels), contentType: 'image/jpeg' };
  };
}

const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;.*)?$/;

/** Keeps an object as it is; its content type must look like a media type. */
export const objectPreparer: UploadPreparer = async (upload) => {
  if (!MEDIA_TYPE.test(upload.contentType) || upload.contentType.length > 255) {
    throw new AppError('bad_request', `not a media type: '${upload.contentType}'`);
  }
  return upload;
};
