import { describe, expect, it } from 'vitest';
import { ARCFACE_TEMPLATE, CROP_SIZE, warpFace } from '../../../src/vision/internal/face-warp.ts';
import {
  type Affine,
  applyAffine,
} from '../../../src/vision/internal/math/similarity-transform.ts';
import type { Detection } from '../../../src/vision/types.ts';

// 300×300 image: R = x mod 256 / G = y mod 256 would wrap; use small slopes so every value is an
// exact linear function of the position: R = 0.8x, G = 0.8y, B = 0.4(x + y).
const SIZE = 300;
const colour = (x: number, y: number) => [0.8 * x, 0.8 * y, 0.4 * (x + y)];
const IMAGE = {
  width: SIZE,
  height: SIZE,
  data: Buffer.from(
    Uint8Array.from({ length: SIZE * SIZE * 3 }, (_, i) => {
      const p = Math.floor(i / 3);
      return Math.round(colour(p % SIZE, Math.floor(p / SIZE))[i % 3]!);
    }),
  ),
};

/** Crop → image similarity: the face in the image is the template moved by this map. */
function cropToImage(scale: number, degrees: number, tx: number, ty: number): Affine {
  const a = scale * Math.cos((degrees * Math.PI) / 180);
  const b = scale * Math.sin((degrees * Math.PI) / 180);
  return [a, -b, tx, b, a, ty];
}

describe('warpFace', () => {
  it.each([
    ['upright, same scale', cropToImage(1, 0, 90, 80)],
    ['tilted and larger', cropToImage(1.8, 25, 90, 20)],
    ['tilted the other way, smaller', cropToImage(0.7, -40, 60, 150)],
  ])('samples the image at the known transform (%s)', (_, transform) => {
    const detection: Detection = {
      rect: { x: 0, y: 0, width: 1, height: 1 },
      score: 1,
      landmarks5: ARCFACE_TEMPLATE.map((p) => [...applyAffine(transform, p)] as [number, number]),
    };
    const crop = warpFace(IMAGE, detection);
    expect([crop.width, crop.height, crop.data.length]).toEqual([
      CROP_SIZE,
      CROP_SIZE,
      CROP_SIZE ** 2 * 3,
    ]);
    for (const [u, v] of [
      [0, 0],
      [56, 56],
      [111, 0],
      [38, 51],
      [100, 111],
    ]) {
      const [x, y] = applyAffine(transform, [u!, v!]);
      expect(Math.min(x, y)).toBeGreaterThanOrEqual(0);
      expect(Math.max(x, y)).toBeLessThanOrEqual(SIZE - 1);
      const at = (v! * CROP_SIZE + u!) * 3;
      const got = Array.from(crop.data.subarray(at, at + 3));
      // The source pixels are rounded, so allow one level of difference.
      got.forEach((value, c) => {
        expect(Math.abs(value - colour(x, y)[c]!)).toBeLessThanOrEqual(1);
      });
    }
  });
});
