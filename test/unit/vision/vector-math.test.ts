import { describe, expect, it } from 'vitest';
import { cosineSimilarity, l2Normalise } from '../../../src/vision/internal/math/vector-math.ts';

describe('l2Normalise', () => {
  it.each([
    [
      [3, 4],
      [0.6, 0.8],
    ],
    [
      [0, -2, 0],
      [0, -1, 0],
    ],
    [
      [1, 1, 1, 1],
      [0.5, 0.5, 0.5, 0.5],
    ],
    [
      [0, 0],
      [0, 0],
    ],
  ])('%j → %j', (input, expected) => {
    expect(Array.from(l2Normalise(input))).toEqual(expected.map((v) => expect.closeTo(v, 6)));
  });

  it('leaves its input untouched', () => {
    const input = new Float32Array([3, 4]);
    l2Normalise(input);
    expect(Array.from(input)).toEqual([3, 4]);
  });
});

describe('cosineSimilarity', () => {
  it.each([
    [[1, 0], [1, 0], 1],
    [[1, 0], [0, 1], 0],
    [[1, 0], [-2, 0], -1],
    [[1, 1], [1, 0], Math.SQRT1_2],
    [[0, 0], [1, 0], 0],
  ])('%j · %j = %d', (a, b, expected) => {
    expect(cosineSimilarity(a, b)).toBeCloseTo(expected, 9);
  });

  it('refuses vectors of different lengths', () => {
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });
});
