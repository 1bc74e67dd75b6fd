import { describe, expect, it } from 'vitest';
import {
  exposureStats,
  laplacianVariance,
  lumaPlane,
} from '../../../src/vision/internal/math/image-stats.ts';
import {
  blurFromVariance,
  overallQuality,
  sizeFactor,
} from '../../../src/vision/internal/math/quality-score.ts';

function grey(width: number, height: number, value: (x: number, y: number) => number) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.fill(value(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { width, height, data };
}

const INNER = { x0: 1, y0: 1, x1: 7, y1: 7 };

describe('image statistics', () => {
  it('luma weighs red, green and blue by Rec. 601', () => {
    const image = { width: 3, height: 1, data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255]) };
    expect(Array.from(lumaPlane(image)).map((v) => Math.round(v * 1000) / 1000)).toEqual([
      76.245, 149.685, 29.07,
    ]);
  });

  it.each([
    ['a flat patch has no detail', () => 128, 0],
    ['a linear ramp has no curvature', (x: number) => x * 10, 0],
    // Checkerboard: Laplacian ±4·255 everywhere → variance (1020)².
    ['a checkerboard is all detail', (x: number, y: number) => ((x + y) % 2) * 255, 1020 ** 2],
  ])('laplacian variance: %s', (_, value, expected) => {
    const plane = lumaPlane(grey(8, 8, value));
    expect(laplacianVariance(plane, 8, INNER)).toBeCloseTo(expected, 3);
  });

  it.each([
    ['black', 0, { mean: 0, darkShare: 1, brightShare: 0 }],
    ['mid grey', 128, { mean: 128, darkShare: 0, brightShare: 0 }],
    ['white', 255, { mean: 255, darkShare: 0, brightShare: 1 }],
  ])('exposure of %s', (_, v, expected) => {
    const plane = lumaPlane(grey(8, 8, () => v));
    const stats = exposureStats(plane, 8, INNER, { dark: 40, bright: 235 });
    expect(stats.mean).toBeCloseTo(expected.mean, 6);
    expect(stats.darkShare).toBe(expected.darkShare);
    expect(stats.brightShare).toBe(expected.brightShare);
  });
});

describe('quality scores', () => {
  it.each([
    [0, 1],
    [40, 0.5],
    [160, 0.2],
    [1e9, 0],
  ])('blur of Laplacian variance %d is %d', (variance, expected) => {
    expect(blurFromVariance(variance)).toBeCloseTo(expected, 6);
  });

  it.each([
    [5, 0],
    [10, 0],
    [25, 0.5],
    [40, 1],
    [200, 1],
  ])('size factor of a %i px eye distance is %d', (distance, expected) => {
    expect(sizeFactor(distance)).toBeCloseTo(expected, 9);
  });

  it.each([
    ['perfect', { blur: 0, underexposure: 0, overexposure: 0, eyeDistance: 60 }, 1],
    [
      'typical press photo',
      { blur: 0.2, underexposure: 0.02, overexposure: 0, eyeDistance: 45 },
      0.784,
    ],
    ['tiny face', { blur: 0.2, underexposure: 0, overexposure: 0, eyeDistance: 8 }, 0],
    ['blown out', { blur: 0, underexposure: 0, overexposure: 1, eyeDistance: 60 }, 0],
  ])('overall quality, %s', (_, parts, expected) => {
    expect(overallQuality(parts)).toBeCloseTo(expected, 6);
  });
});
