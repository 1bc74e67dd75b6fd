import { describe, expect, it } from 'vitest';
import {
  decodeDescriptor,
  dot,
  encodeDescriptor,
  l2Normalise,
  meanDescriptor,
} from '../../../src/descriptors/index.ts';

describe('descriptor math', () => {
  it.each([
    [
      [3, 4],
      [0.6, 0.8],
    ],
    [
      [0, 0],
      [0, 0],
    ],
    [
      [-2, 0],
      [-1, 0],
    ],
  ])('normalises %j to %j', (input, expected) => {
    const out = l2Normalise(new Float32Array(input));
    for (const [i, v] of expected.entries()) {
      expect(out[i]).toBeCloseTo(v, 6);
    }
  });

  it('averages unit vectors into a unit vector between them', () => {
    const mean = meanDescriptor([new Float32Array([1, 0]), new Float32Array([0, 1])]);
    expect(mean[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(dot(mean, mean)).toBeCloseTo(1, 6);
  });

  it('round-trips through the little-endian blob codec exactly', () => {
    const v = new Float32Array([1.5, -2.25, 2.5, 1e-30]);
    const bytes = encodeDescriptor(v);
    expect(bytes.length).toBe(16);
    expect(new DataView(bytes.buffer).getFloat32(0, true)).toBe(1.5);
    expect(Array.from(decodeDescriptor(bytes))).toEqual(Array.from(v));
  });
});
