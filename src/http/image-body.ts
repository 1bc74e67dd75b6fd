/**
 * Reads uploaded images from a request in the three accepted shapes: a raw image body,
 * multipart/form-data with one or more image parts, or JSON with base64 images.
 */
import * as z from 'zod';
import { AppError } from '../errors/index.ts';
import { readJson } from './json-body.ts';
import { parseWith } from './validate.ts';

/** One uploaded image, not yet decoded. */
export interface ImageUpload {
  filename: string;
  bytes: Uint8Array;
}

const MAX_IMAGES_PER_REQUEST = 64;

const BASE64_IMAGES_SCHEMA = z.object({
  images: z
    .array(
      z.object({
        image: z.base64().min(1),
        filename: z.string().max(255).optional(),
      }),
    )
    .min(1)
    .max(MAX_IMAGES_PER_REQUEST),
});

const RAW_TYPES = ['image/', 'application/octet-stream'];

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

async function readMultipart(request: Request): Promise<ImageUpload[]> {
  const form = await request.formData().catch(() => {
    throw new AppError('bad_request', 'multipart body could not be parsed');
  });
  const uploads: ImageUpload[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      continue;
    }
    uploads.push({
      filename: value.name || field,
      bytes: new Uint8Array(await value.arrayBuffer()),
    });
  }
  return uploads;
}

async function readBase64(request: Request): Promise<ImageUpload[]> {
  // The app's body limit already caps this size; only the nesting is checked here.
  const json = await readJson(request, Number.POSITIVE_INFINITY);
  const body = parseWith(BASE64_IMAGES_SCHEMA, json, 'body');
  return body.images.map((item, i) => ({
    filename: item.filename ?? `image_${i}`,
    bytes: Buffer.from(item.image, 'base64'),
  }));
}

/** Reads the images of a request; 415 for any other content type, 400 when none is present. */
export async function readImageUploads(request: Request): Promise<ImageUpload[]> {
  const type = mediaType(request);
  let uploads: ImageUpload[];
  if (RAW_TYPES.some((prefix) => type.startsWith(prefix))) {
    uploads = [{ filename: 'image', bytes: new Uint8Array(await request.arrayBuffer()) }];
  } else if (type === 'multipart/form-data') {
    uploads = await readMultipart(request);
  } else if (type === 'application/json') {
    uploads = await readBase64(request);
  } else {
    throw new AppError(
      'unsupported_media_type',
      `content type '${type || 'none'}' not accepted: send image/*, multipart/form-data or JSON`,
    );
  }
  if (uploads.length === 0 || uploads.some((u) => u.bytes.length === 0)) {
    throw new AppError('bad_request', 'no image data in the request');
  }
  if (uploads.length > MAX_IMAGES_PER_REQUEST) {
    throw new AppError('bad_request', `at most ${MAX_IMAGES_PER_REQUEST} images per request`);
  }
  return uploads;
}
