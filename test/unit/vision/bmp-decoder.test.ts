import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors/index.ts';
import {
  decodeBmp,
  maskedChannel,
  readBmpHeader,
} from '../../../src/vision/internal/decode/bmp-decoder.ts';
import { type BmpLayout, testPattern, writeBmp } from './image-writers.ts';

const PATTERN = testPattern(7, 5);
const greyOf = (data: Uint8Array, p: number) =>
  Math.round((data[p * 3]! + data[p * 3 + 1]! + data[p * 3 + 2]!) / 3);

function expectCode(run: () => unknown, code: string): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return;
  }
  throw new Error(`expected AppError ${code}`);
}

describe('decodeBmp', () => {
  it.each([
    ['24-bit bottom-up', { bitsPerPixel: 24 }],
    ['24-bit top-down', { bitsPerPixel: 24, topDown: true }],
    ['32-bit BGRX', { bitsPerPixel: 32 }],
    ['32-bit bit fields, RGBX order', { bitsPerPixel: 32, masks: [0xff, 0xff00, 0xff0000] }],
    [
      '32-bit bit fields, high byte red',
      { bitsPerPixel: 32, masks: [0xff000000, 0xff0000, 0xff00] },
    ],
  ] as [string, BmpLayout][])('reads %s pixels exactly', (_, layout) => {
    const image = decodeBmp(writeBmp(PATTERN, layout), 1000);
    expect([image.width, image.height]).toEqual([7, 5]);
    expect(Array.from(image.data)).toEqual(Array.from(PATTERN.data));
  });

  it('reads 8-bit palette pixels through the palette', () => {
    const image = decodeBmp(writeBmp(PATTERN, { bitsPerPixel: 8 }), 1000);
    const expected = Array.from({ length: 35 * 3 }, (_, i) =>
      greyOf(PATTERN.data, Math.floor(i / 3)),
    );
    expect(Array.from(image.data)).toEqual(expected);
  });

  it('reads the old 12-byte core header', () => {
    // 2×2, 24-bit, bottom-up: the bottom row is stored first, rows padded to 8 bytes.
    const bytes = new Uint8Array(26 + 16);
    const view = new DataView(bytes.buffer);
    bytes.set([0x42, 0x4d]);
    view.setUint32(10, 26, true);
    view.setUint32(14, 12, true);
    view.setUint16(18, 2, true);
    view.setUint16(20, 2, true);
    view.setUint16(22, 1, true);
    view.setUint16(24, 24, true);
    bytes.set([3, 2, 1, 6, 5, 4], 26);
    bytes.set([9, 8, 7, 12, 11, 10], 34);
    expect(Array.from(decodeBmp(bytes, 4).data)).toEqual([7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses a declared size over the budget before reading pixels', () => {
    const bytes = writeBmp(PATTERN, { bitsPerPixel: 24 }).slice(0, 54);
    new DataView(bytes.buffer).setInt32(18, 100_000, true);
    new DataView(bytes.buffer).setInt32(22, 100_000, true);
    expectCode(() => decodeBmp(bytes, 50_000_000), 'image_too_large');
  });

  it.each([
    ['truncated pixel rows', (b: Uint8Array) => b.slice(0, b.length - 10)],
    ['a file shorter than its header', (b: Uint8Array) => b.slice(0, 20)],
    ['zero width', (b: Uint8Array) => patch(b, (v) => v.setInt32(18, 0, true))],
    ['an unknown header size', (b: Uint8Array) => patch(b, (v) => v.setUint32(14, 20, true))],
  ])('fails to decode %s', (_, damage) => {
    expectCode(
      () => decodeBmp(damage(writeBmp(PATTERN, { bitsPerPixel: 24 })), 1000),
      'image_decode_failed',
    );
  });

  it.each([
    ['RLE8', 1, 8],
    ['embedded JPEG', 4, 24],
  ])('refuses %s compression as unsupported', (_, compression, bits) => {
    const bytes = patch(writeBmp(PATTERN, { bitsPerPixel: 24 }), (v) => {
      v.setUint32(30, compression, true);
      v.setUint16(28, bits, true);
    });
    expectCode(() => decodeBmp(bytes, 1000), 'image_format_unsupported');
  });

  it('caps a palette that claims more colours than its bit depth allows', () => {
    const bytes = patch(writeBmp(PATTERN, { bitsPerPixel: 8 }), (v) =>
      v.setUint32(46, 2 ** 31, true),
    );
    expect(readBmpHeader(bytes).palette.length).toBe(256 * 3);
  });
});

describe('maskedChannel', () => {
  it.each([
    [0x7c00, 0x7c00, 255],
    [0x0000, 0x7c00, 0],
    [0x4210, 0x03e0, Math.round((16 * 255) / 31)],
    [0xf800, 0xf800, 255],
    [0x07e0, 0x07e0, 255],
    [0x12345678, 0xff00, 0x56],
    [0xff000000, 0xff000000, 255],
    [0xabc, 0, 0],
  ])('value %d under mask %d → %d', (value, mask, expected) => {
    expect(maskedChannel(value, mask)).toBe(expected);
  });
});

function patch(bytes: Uint8Array, edit: (view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  edit(new DataView(copy.buffer));
  return copy;
}
