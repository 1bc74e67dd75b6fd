import { describe, expect, it } from 'vitest';
import {
  type Affine,
  applyAffine,
  estimateSimilarity,
  invertAffine,
  type Point,
  similarityScale,
} from '../../../src/vision/internal/math/similarity-transform.ts';

const FIVE: Point[] = [
  [38.29, 51.7],
  [73.53, 51.5],
  [56.03, 71.74],
  [41.55, 92.37],
  [70.73, 92.2],
];

function similarity(scale: number, degrees: number, tx: number, ty: number): Affine {
  const a = scale * Math.cos((degrees * Math.PI) / 180);
  const b = scale * Math.sin((degrees * Math.PI) / 180);
  return [a, -b, tx, b, a, ty];
}

function expectAffineClose(actual: Affine, expected: Affine, digits = 9): void {
  actual.forEach((value, i) => {
    expect(value).toBeCloseTo(expected[i]!, digits);
  });
}

describe('estimateSimilarity', () => {
  it.each([
    ['identity', similarity(1, 0, 0, 0)],
    ['pure translation', similarity(1, 0, -12.5, 40)],
    ['scale up', similarity(3.2, 0, 5, 5)],
    ['scale down and rotate', similarity(0.4, 33, 100, -20)],
    ['upside down', similarity(1.7, 180, 0, 0)],
    ['negative angle', similarity(2, -75, -300, 12)],
  ])('recovers an exact %s from five points', (_, transform) => {
    const dst = FIVE.map((p) => applyAffine(transform, p));
    expectAffineClose(estimateSimilarity(FIVE, dst), transform);
  });

  it('recovers a transform from two points', () => {
    const transform = similarity(1.5, 20, 3, 4);
    const src: Point[] = [
      [0, 0],
      [10, 0],
    ];
    expectAffineClose(
      estimateSimilarity(
        src,
        src.map((p) => applyAffine(transform, p)),
      ),
      transform,
    );
  });

  it('averages symmetric noise away', () => {
    const transform = similarity(2, 10, 7, -3);
    const noise: Point[] = [
      [0.5, 0],
      [-0.5, 0],
      [0, 0.5],
      [0, -0.5],
    ];
    const src: Point[] = [
      [0, 0],
      [20, 0],
      [0, 20],
      [20, 20],
    ];
    const dst = src.map((p, i) => {
      const [x, y] = applyAffine(transform, p);
      return [x + noise[i]![0], y + noise[i]![1]] as Point;
    });
    expect(similarityScale(estimateSimilarity(src, dst))).toBeCloseTo(2, 1);
  });

  it('never returns a reflection', () => {
    const mirrored = FIVE.map(([x, y]) => [-x, y] as Point);
    const m = estimateSimilarity(FIVE, mirrored);
    expect(m[0] * m[4] - m[1] * m[3]).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ['one pair', [[1, 1]] as Point[], [[2, 2]] as Point[]],
    ['unequal counts', FIVE, FIVE.slice(1)],
    [
      'coincident sources',
      [
        [3, 3],
        [3, 3],
      ] as Point[],
      [
        [0, 0],
        [1, 1],
      ] as Point[],
    ],
  ])('refuses %s', (_, src, dst) => {
    expect(() => estimateSimilarity(src, dst)).toThrow(RangeError);
  });
});

describe('invertAffine', () => {
  it.each([
    ['the identity', similarity(1, 0, 0, 0)],
    ['a similarity', similarity(0.25, 45, 10, 10)],
    ['a general affine map', [2, 0.5, -3, 0.25, 1.5, 9] as Affine],
  ])('undoes %s', (_, m) => {
    const inverse = invertAffine(m);
    for (const p of FIVE) {
      const [x, y] = applyAffine(inverse, applyAffine(m, p));
      expect(x).toBeCloseTo(p[0], 9);
      expect(y).toBeCloseTo(p[1], 9);
    }
  });

  it('refuses a singular matrix', () => {
    expect(() => invertAffine([1, 2, 0, 2, 4, 0])).toThrow(RangeError);
  });
});
