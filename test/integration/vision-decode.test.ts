/** Decoding via the vision pipeline: each accepted format yields the face; bad input fails. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVision, type DecodedImage, type Vision } from '../../src/vision/index.ts';
import { cosineSimilarity } from '../../src/vision/internal/math/vector-math.ts';
import { writeBmp, writePnm } from '../unit/vision/image-writers.ts';
import { hasVisionData, readLfw, visionModels } from '../unit/vision/vision-fixtures.ts';

const describeVision = hasVisionData() ? describe : describe.skip;

let vision: Vision;
let jpeg: Buffer;
let reference: { image: DecodedImage; descriptor: Float32Array };

async function describeFace(image: DecodedImage) {
  const [face] = await vision.detect(image);
  expect(face).toBeDefined();
  const [descriptor] = await vision.extract([await vision.warp(image, face!)]);
  return descriptor!;
}

beforeAll(async () => {
  if (!hasVisionData()) {
    return;
  }
  vision = await createVision({ models: visionModels(), maxPixels: 50_000_000 });
  jpeg = await readLfw('Serena_Williams', 14);
  const image = await vision.decode(jpeg);
  reference = { image, descriptor: await describeFace(image) };
});

afterAll(async () => {
  await vision?.close();
});

/** Pixels of the reference JPEG, as the writers take them. */
const pixels = () => ({ width: 250, height: 250, data: reference.image.data });

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'AppError', code });
}

function pngChunk(type: string, data: number[]): Buffer {
  const body = Buffer.from([...Buffer.from(type, 'ascii'), ...data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A PNG whose header claims `width` × `height` RGB pixels, with one empty data chunk. */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const emptyZlib = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', [...ihdr]),
    pngChunk('IDAT', emptyZlib),
    pngChunk('IEND', []),
  ]);
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describeVision('vision decode', () => {
  it.each([
    ['PNG', () => sharp(jpeg).png().toBuffer()],
    ['TIFF', () => sharp(jpeg).tiff({ compression: 'lzw' }).toBuffer()],
    ['24-bit BMP', async () => writeBmp(pixels(), { bitsPerPixel: 24 })],
    ['32-bit top-down BMP', async () => writeBmp(pixels(), { bitsPerPixel: 32, topDown: true })],
    ['PPM (P6)', async () => writePnm(pixels())],
    ['16-bit PPM', async () => writePnm(pixels(), { maxValue: 65535 })],
  ])('decodes lossless %s to exactly the original pixels', async (_, make) => {
    const image = await vision.decode(await make());
    expect([image.width, image.height]).toEqual([250, 250]);
    expect(image.data.equals(reference.image.data)).toBe(true);
  });

  it.each([
    ['WebP', () => sharp(jpeg).webp({ quality: 90 }).toBuffer()],
    ['PNG with alpha', () => sharp(jpeg).ensureAlpha(0.8).png().toBuffer()],
    ['16-bit PNG', () => sharp(jpeg).toColourspace('rgb16').png().toBuffer()],
    ['16-bit TIFF', () => sharp(jpeg).toColourspace('rgb16').tiff().toBuffer()],
    ['CMYK JPEG', () => sharp(jpeg).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer()],
    ['greyscale JPEG', () => sharp(jpeg).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer()],
    ['greyscale PNG', () => sharp(jpeg).toColourspace('b-w').png().toBuffer()],
    ['8-bit palette BMP', async () => writeBmp(pixels(), { bitsPerPixel: 8 })],
    ['PGM (P5)', async () => writePnm(pixels(), { grey: true })],
  ])('decodes %s to 8-bit RGB that yields the same face', async (_, make) => {
    const image = await vision.decode(await make());
    expect([image.width, image.height, image.data.length]).toEqual([250, 250, 250 * 250 * 3]);
    expect(cosineSimilarity(await describeFace(image), reference.descriptor)).toBeGreaterThan(0.85);
  });

  it('checks that the sources really are the variants they claim to be', async () => {
    const cmyk = await sharp(await sharp(jpeg).toColourspace('cmyk').jpeg().toBuffer()).metadata();
    const deep = await sharp(await sharp(jpeg).toColourspace('rgb16').png().toBuffer()).metadata();
    const grey = await sharp(await sharp(jpeg).toColourspace('b-w').jpeg().toBuffer()).metadata();
    expect([cmyk.space, deep.depth, grey.channels]).toEqual(['cmyk', 'ushort', 1]);
  });

  it.each([
    ['truncated JPEG', async () => jpeg.subarray(0, Math.floor(jpeg.length / 2))],
    ['truncated PNG', async () => (await sharp(jpeg).png().toBuffer()).subarray(0, 3000)],
    ['random bytes', async () => new Uint8Array(4096).map((_, i) => (i * 7919) % 251)],
    ['no bytes', async () => new Uint8Array(0)],
    [
      'a JPEG signature over garbage',
      async () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
    ],
    [
      'a PNG signature over JPEG data',
      async () => Buffer.concat([pngHeader(1, 1).subarray(0, 8), jpeg]),
    ],
  ])('refuses %s as image_decode_failed', async (_, make) => {
    await expectCode(vision.decode(await make()), 'image_decode_failed');
  });

  it.each([
    ['GIF', () => sharp(jpeg).gif().toBuffer()],
    ['AVIF', () => sharp(jpeg).avif().toBuffer()],
    [
      'SVG',
      async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'),
    ],
    ['PDF', async () => Buffer.from('%PDF-1.4\n%âãÏÓ\n')],
    ['RLE-compressed BMP', async () => rleBmp()],
    ['ASCII PPM (P3)', async () => Buffer.from('P3\n1 1\n255\n0 0 0\n')],
  ])('refuses %s as image_format_unsupported', async (_, make) => {
    await expectCode(vision.decode(await make()), 'image_format_unsupported');
  });

  it.each([
    ['a PNG header claiming 100000×100000', async () => pngHeader(100_000, 100_000)],
    ['a BMP header claiming 100000×100000', async () => hugeBmpHeader()],
    ['a PPM header claiming 100000×100000', async () => Buffer.from('P6 100000 100000 255\n')],
  ])('refuses %s as image_too_large before decoding', async (_, make) => {
    await expectCode(vision.decode(await make()), 'image_too_large');
  });

  it('refuses a real photo over a low pixel limit, in every decoder', async () => {
    const strict = await createVision({ models: visionModels(), maxPixels: 250 * 249 });
    try {
      await expectCode(strict.decode(jpeg), 'image_too_large');
      await expectCode(strict.decode(writeBmp(pixels(), { bitsPerPixel: 24 })), 'image_too_large');
      await expectCode(strict.decode(writePnm(pixels())), 'image_too_large');
      const small = await sharp(jpeg).resize(200, 200).png().toBuffer();
      expect((await strict.decode(small)).width).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

function rleBmp(): Uint8Array {
  const bytes = writeBmp({ width: 2, height: 2, data: new Uint8Array(12) }, { bitsPerPixel: 8 });
  new DataView(bytes.buffer).setUint32(30, 1, true);
  return bytes;
}

function hugeBmpHeader(): Uint8Array {
  const bytes = writeBmp({ width: 1, height: 1, data: new Uint8Array(3) }, { bitsPerPixel: 24 });
  new DataView(bytes.buffer).setInt32(18, 100_000, true);
  new DataView(bytes.buffer).setInt32(22, 100_000, true);
  return bytes;
}
