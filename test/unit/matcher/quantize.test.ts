import { describe, expect, it } from 'vitest';
import { dot } from '../../../src/descriptors/index.ts';
import { dequantise, quantisationError, quantise } from '../../../src/matcher/quantize.ts';
import { randomUnit, seededGauss } from '../../helpers/synthetic-descriptors.ts';

const gauss = seededGauss(17);

describe('int8 quantisation', () => {
  it.each([
    [
      [0.5, -0.3, 0.125],
      [127, -76, 32],
    ],
    [
      [-1, 0, 1],
      [-127, 0, 127],
    ],
    [
      [0.001, 0.002],
      [64, 127],
    ],
    [
      [0, 0, 0],
      [0, 0, 0],
    ],
  ])('maps %j to %j', (input, expected) => {
    const { values } = quantise(new Float32Array(input));
    expect([...values]).toEqual(expected);
  });

  it('keeps 1/|v8| so the stored row scores as a cosine', () => {
    const v = randomUnit(gauss);
    const q = quantise(v);
    const unit = dequantise(q.values, q.invNorm, new Float32Array(v.length));
    expect(dot(unit, unit)).toBeCloseTo(1, 5);
    expect(dot(unit, v)).toBeGreaterThan(0.999);
  });

  it('gives a zero vector a zero inverse norm', () => {
    expect(quantise(new Float32Array(4)).invNorm).toBe(0);
  });

  it('bounds how far any cosine can move when the query is quantised', () => {
    for (let trial = 0; trial < 50; trial++) {
      const query = randomUnit(gauss);
      const row = randomUnit(gauss);
      const q = quantise(query);
      const moved = q.values.reduce((s, x, i) => s + x * row[i]!, 0) * q.invNorm;
      expect(Math.abs(moved - dot(query, row))).toBeLessThanOrEqual(quantisationError(query, q));
    }
  });
});
