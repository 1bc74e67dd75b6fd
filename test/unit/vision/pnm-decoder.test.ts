import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors/index.ts';
import { decodePnm, readPnmHeader } from '../../../src/vision/internal/decode/pnm-decoder.ts';
import { testPattern, writePnm } from './image-writers.ts';

const PATTERN = testPattern(6, 4);
const ascii = (text: string) => new TextEncoder().encode(text);

function expectCode(run: () => unknown, code: string): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
}

describe('decodePnm', () => {
  it.each([
    ['P6 8-bit', {}],
    ['P6 16-bit', { maxValue: 65535 }],
  ])('reads %s pixels exactly', (_, options) => {
    const image = decodePnm(writePnm(PATTERN, options), 1000);
    expect([image.width, image.height]).toEqual([6, 4]);
    expect(Array.from(image.data)).toEqual(Array.from(PATTERN.data));
  });

  it('spreads P5 grey to three equal channels', () => {
    const image = decodePnm(writePnm(PATTERN, { grey: true }), 1000);
    for (let p = 0; p < 24; p++) {
      const [r, g, b] = image.data.subarray(p * 3, p * 3 + 3);
      expect([g, b]).toEqual([r, r]);
    }
  });

  it('scales a small maximum value up to 0–255', () => {
    const bytes = new Uint8Array([...ascii('P5 2 1 15\n'), 15, 5]);
    expect(Array.from(decodePnm(bytes, 10).data)).toEqual([255, 255, 255, 85, 85, 85]);
  });

  it.each([
    ['P6\n3 2\n255\n', { width: 3, height: 2, maxValue: 255, dataOffset: 11 }],
    ['P5 3 2 255 ', { width: 3, height: 2, maxValue: 255, dataOffset: 11 }],
    ['P6#c\n3#c\n 2\n# more\n255\n', { width: 3, height: 2, maxValue: 255, dataOffset: 23 }],
  ])('parses the header %j', (text, expected) => {
    expect(readPnmHeader(ascii(text))).toMatchObject(expected);
  });

  it('refuses a declared size over the budget before reading pixels', () => {
    expectCode(() => decodePnm(ascii('P6 100000 100000 255\n'), 50_000_000), 'image_too_large');
  });

  it.each([
    ['truncated samples', ascii('P6 4 4 255\nabc')],
    ['a missing field', ascii('P6 4 255\n')],
    ['zero width', ascii('P6 0 4 255\n')],
    ['a max value above 65535', ascii('P6 1 1 70000\n')],
    ['digits running into data', ascii('P6 1 1 255')],
    ['an absurdly long number', ascii('P6 123456789012 1 255\n')],
  ])('fails to decode %s', (_, bytes) => {
    expectCode(() => decodePnm(bytes, 1000), 'image_decode_failed');
  });

  it.each(['P1', 'P2', 'P3', 'P4', 'P7'])('refuses %s as unsupported', (magic) => {
    expectCode(() => decodePnm(ascii(`${magic} 1 1 255\n...`), 1000), 'image_format_unsupported');
  });
});
