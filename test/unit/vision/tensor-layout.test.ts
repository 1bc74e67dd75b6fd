import { describe, expect, it } from 'vitest';
import { roundUpTo, toPlanar } from '../../../src/vision/internal/math/tensor-layout.ts';

// 2×1 image: red pixel, then a pixel with R=10, G=20, B=30.
const IMAGE = { width: 2, height: 1, data: new Uint8Array([255, 0, 0, 10, 20, 30]) };
const UNIT = { mean: [0, 0, 0], scale: [1, 1, 1] } as const;

describe('toPlanar', () => {
  it.each([
    ['rgb', { ...UNIT, order: 'rgb', width: 2, height: 1 }, [255, 10, 0, 20, 0, 30]],
    ['bgr', { ...UNIT, order: 'bgr', width: 2, height: 1 }, [0, 30, 0, 20, 255, 10]],
    [
      'bgr with mean and scale',
      {
        order: 'bgr',
        mean: [127.5, 127.5, 127.5],
        scale: [1 / 128, 1 / 128, 1 / 128],
        width: 2,
        height: 1,
      },
      [-127.5 / 128, -97.5 / 128, -127.5 / 128, -107.5 / 128, 127.5 / 128, -117.5 / 128],
    ],
    [
      'per-channel mean in output order',
      { order: 'rgb', mean: [10, 20, 30], scale: [1, 0.5, 0.25], width: 2, height: 1 },
      [245, 0, -10, 0, -7.5, 0],
    ],
    [
      'padding right and below',
      { ...UNIT, order: 'rgb', width: 3, height: 2 },
      [255, 10, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0],
    ],
  ] as const)('lays out %s', (_, spec, expected) => {
    const out = Array.from(toPlanar(IMAGE, spec));
    expect(out).toEqual(expected.map((v) => expect.closeTo(v, 5)));
  });

  it('refuses a plane smaller than the image', () => {
    expect(() => toPlanar(IMAGE, { ...UNIT, order: 'rgb', width: 1, height: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('roundUpTo', () => {
  it.each([
    [250, 32, 256],
    [256, 32, 256],
    [1, 32, 32],
    [360, 32, 384],
  ])('%d to a multiple of %d is %d', (value, step, expected) => {
    expect(roundUpTo(value, step)).toBe(expected);
  });
});
