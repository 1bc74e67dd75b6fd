/**
 * Reading an event-generation request at the edge, in its three shapes: a raw image body;
 * multipart/form-data with image parts plus optional `policies` and `meta` JSON parts; or JSON
 * with base64 images (photos with optional face boxes, or warped samples) or raw descriptors.
 */
import * as z from 'zod';
import { DESCRIPTOR_LENGTH, decodeDescriptor, l2Normalise } from '../descriptors/index.ts';
import { AppError } from '../errors/index.ts';
import { parseWith } from '../http/index.ts';
import { readJson } from '../http/json-body.ts';
import type { DescriptorInput } from './event-generator.ts';
import type { ImageInput } from './face-pipeline.ts';
import { POLICIES, type Policies } from './policy-schema.ts';

/** Most images or descriptors in one request. */
export const MAX_ITEMS = 64;
const MAX_META_CHARS = 4096;

/** The parsed request body. */
export interface EventInput {
  images: ImageInput[];
  descriptors: DescriptorInput[];
  policies: Policies | undefined;
  meta: Record<string, unknown> | undefined;
}

const META = z
  .record(z.string(), z.unknown())
  .refine((m) => JSON.stringify(m).length <= MAX_META_CHARS, {
    message: `meta must serialise to at most ${MAX_META_CHARS} characters`,
  });

const RECT = z.strictObject({
  x: z.number(),
  y: z.number(),
  width: z.number().positive(),
  height: z.number().positive(),
});

const RAW_DESCRIPTOR = z
  .base64()
  .refine((s) => Buffer.from(s, 'base64').length === DESCRIPTOR_LENGTH * 4, {
    message: `must be ${DESCRIPTOR_LENGTH} little-endian float32 values, base64`,
  });

/** The JSON body of event generation. */
export const EVENT_JSON_BODY = z
  .strictObject({
    images: z
      .array(
        z.strictObject({
          image: z.base64().min(1),
          filename: z.string().max(255).optional(),
          image_type: z.enum(['raw', 'sample']).default('raw'),
          bounding_boxes: z.array(RECT).min(1).max(MAX_ITEMS).optional(),
        }),
      )
      .min(1)
      .max(MAX_ITEMS)
      .optional(),
    descriptors: z
      .array(
        z.strictObject({ descriptor: RAW_DESCRIPTOR, filename: z.string().max(255).optional() }),
      )
      .min(1)
      .max(MAX_ITEMS)
      .optional(),
    policies: POLICIES.optional(),
    meta: META.optional(),
  })
  .refine((b) => (b.images === undefined) !== (b.descriptors === undefined), {
    message: 'give exactly one of images or descriptors',
  });

const PARTS = z.object({ policies: POLICIES.optional(), meta: META.optional() });

/** The image type of `bytes` by magic number, else `declared`. */
export function sniffContentType(bytes: Uint8Array, declared: string): string {
  const head = Buffer.from(bytes.subarray(0, 12));
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return 'image/jpeg';
  }
  if (head.subarray(0, 4).toString('latin1') === '\x89PNG') {
    return 'image/png';
  }
  if (
    head.subarray(0, 4).toString('latin1') === 'RIFF' &&
    head.subarray(8, 12).toString() === 'WEBP'
  ) {
    return 'image/webp';
  }
  return declared;
}

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function fromJson(body: z.infer<typeof EVENT_JSON_BODY>): EventInput {
  const images = (body.images ?? []).map((item, i) => ({
    filename: item.filename ?? `image_${i}`,
    bytes: new Uint8Array(Buffer.from(item.image, 'base64')),
    contentType: sniffContentType(Buffer.from(item.image, 'base64'), 'application/octet-stream'),
    imageType: item.image_type,
    boundingBoxes: item.bounding_boxes,
  }));
  const descriptors = (body.descriptors ?? []).map((item, i) => ({
    filename: item.filename ?? `descriptor_${i}`,
    vector: l2Normalise(decodeDescriptor(Buffer.from(item.descriptor, 'base64'))),
  }));
  return { images, descriptors, policies: body.policies, meta: body.meta };
}

function parsePart(name: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', `the ${name} part is not valid JSON`);
  }
}

async function fromMultipart(request: Request): Promise<EventInput> {
  const form = await request.formData().catch(() => {
    throw new AppError('bad_request', 'multipart body could not be parsed');
  });
  const images: ImageInput[] = [];
  const parts: Record<string, unknown> = {};
  for (const [field, value] of form.entries()) {
    const isPart = field === 'policies' || field === 'meta';
    if (isPart) {
      parts[field] = parsePart(field, typeof value === 'string' ? value : await value.text());
    } else if (typeof value !== 'string') {
      const bytes = new Uint8Array(await value.arrayBuffer());
      const contentType = sniffContentType(bytes, value.type || 'application/octet-stream');
      images.push({ filename: value.name || field, bytes, contentType, imageType: 'raw' });
    }
  }
  const { policies, meta } = parseWith(PARTS, parts, 'body');
  return { images, descriptors: [], policies, meta };
}

function checkCounts(input: EventInput): EventInput {
  const items = [...input.images.map((i) => i.bytes.length), ...input.descriptors.map(() => 1)];
  if (items.length === 0 || items.includes(0)) {
    throw new AppError('bad_request', 'no image data in the request');
  }
  if (items.length > MAX_ITEMS) {
    throw new AppError('bad_request', `at most ${MAX_ITEMS} images per request`);
  }
  return input;
}

/** Reads the body of `POST /6/handlers/{id}/events`; 415 for other content types. */
export async function readEventInput(request: Request): Promise<EventInput> {
  const type = mediaType(request);
  if (type.startsWith('image/') || type === 'application/octet-stream') {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const contentType = sniffContentType(bytes, type);
    const image: ImageInput = { filename: 'image', bytes, contentType, imageType: 'raw' };
    return checkCounts({ images: [image], descriptors: [], policies: undefined, meta: undefined });
  }
  if (type === 'multipart/form-data') {
    return checkCounts(await fromMultipart(request));
  }
  if (type === 'application/json') {
    // The app's body limit caps the size; base64 images make these bodies large.
    const json = await readJson(request, Number.POSITIVE_INFINITY);
    return checkCounts(fromJson(parseWith(EVENT_JSON_BODY, json, 'body')));
  }
  throw new AppError(
    'unsupported_media_type',
    `content type '${type || 'none'}' not accepted: send image/*, multipart/form-data or JSON`,
  );
}
