import { describe, expect, it } from 'vitest';
import { sampleBilinear, warpAffine } from '../../../src/vision/internal/math/affine-warp.ts';
import type { Affine } from '../../../src/vision/internal/math/similarity-transform.ts';

// A 40×30 image whose channels are exact linear functions of the pixel position, so bilinear
// sampling inside it must reproduce them exactly: R = 2x + 3, G = 4y + 10, B = x + y.
const WIDTH = 40;
const HEIGHT = 30;
const ramp = (x: number, y: number) => [2 * x + 3, 4 * y + 10, x + y];
const RAMP = {
  width: WIDTH,
  height: HEIGHT,
  channels: 3,
  data: Uint8Array.from({ length: WIDTH * HEIGHT * 3 }, (_, i) => {
    const p = Math.floor(i / 3);
    return ramp(p % WIDTH, Math.floor(p / WIDTH))[i % 3]!;
  }),
};

describe('sampleBilinear', () => {
  it.each([
    [0, 0],
    [10.5, 7.25],
    [38.9, 28.1],
    [12.125, 0.75],
  ])('reproduces the linear ramp at (%d, %d)', (x, y) => {
    const expected = ramp(x, y);
    for (let c = 0; c < 3; c++) {
      expect(sampleBilinear(RAMP, x, y, c)).toBeCloseTo(expected[c]!, 9);
    }
  });

  it.each([
    [-1, 5, 0],
    [5, -1, 0],
    [WIDTH, 5, 0],
    [5, HEIGHT, 0],
  ])('reads 0 outside the image at (%d, %d)', (x, y, expected) => {
    expect(sampleBilinear(RAMP, x, y, 1)).toBe(expected);
  });

  it('fades to 0 across the border', () => {
    // Halfway between the last column (x = 39, R = 81) and the outside.
    expect(sampleBilinear(RAMP, 39.5, 3, 0)).toBeCloseTo(40.5, 9);
  });
});

describe('warpAffine', () => {
  const rotate = (deg: number, scale: number, tx: number, ty: number): Affine => {
    const a = scale * Math.cos((deg * Math.PI) / 180);
    const b = scale * Math.sin((deg * Math.PI) / 180);
    return [a, -b, tx, b, a, ty];
  };

  it.each([
    ['identity', [1, 0, 0, 0, 1, 0] as Affine],
    ['shift by a fraction', [1, 0, 3.25, 0, 1, 2.5] as Affine],
    ['rotation and zoom', rotate(17, 0.6, 12, 6)],
    ['shrink with shear', [1.3, 0.2, 1, -0.1, 1.1, 2] as Affine],
  ])('renders %s as the rounded ramp at the mapped point', (_, dstToSrc) => {
    const out = warpAffine(RAMP, dstToSrc, 20, 15);
    for (let v = 0; v < 15; v++) {
      for (let u = 0; u < 20; u++) {
        const x = dstToSrc[0] * u + dstToSrc[1] * v + dstToSrc[2];
        const y = dstToSrc[3] * u + dstToSrc[4] * v + dstToSrc[5];
        const inside = x >= 0 && y >= 0 && x <= WIDTH - 1 && y <= HEIGHT - 1;
        const expected = inside ? ramp(x, y).map(Math.round) : undefined;
        const got = Array.from(out.subarray((v * 20 + u) * 3, (v * 20 + u) * 3 + 3));
        if (expected) {
          expect(got).toEqual(expected);
        }
      }
    }
  });

  it('keeps channel count and size', () => {
    const grey = { width: 4, height: 4, channels: 1, data: new Uint8Array(16).fill(200) };
    const out = warpAffine(grey, [1, 0, 0, 0, 1, 0], 3, 2);
    expect(Array.from(out)).toEqual([200, 200, 200, 200, 200, 200]);
  });
});
