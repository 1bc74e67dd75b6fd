import { describe, expect, it } from 'vitest';
import {
  cellScore,
  decodeStride,
  type StrideOutputs,
} from '../../../src/vision/internal/math/yunet-decoding.ts';

/** A 2-column × 2-row grid with one hot cell at `cell`. */
function grid(stride: number, cell: number, bbox: number[], kps: number[]): StrideOutputs {
  const cells = 4;
  const out: StrideOutputs = {
    stride,
    columns: 2,
    cls: new Float32Array(cells).fill(0.1),
    obj: new Float32Array(cells).fill(0.1),
    bbox: new Float32Array(cells * 4),
    kps: new Float32Array(cells * 10),
  };
  out.cls[cell] = 0.81;
  out.obj[cell] = 1;
  out.bbox.set(bbox, cell * 4);
  out.kps.set(kps, cell * 10);
  return out;
}

describe('cellScore', () => {
  it.each([
    [1, 1, 1],
    [0.81, 1, 0.9],
    [0.25, 0.25, 0.25],
    [0, 0.9, 0],
    [1.2, 1, 1],
    [-0.1, 1, 0],
  ])('cls %d, obj %d → %d', (cls, obj, expected) => {
    expect(cellScore(cls, obj)).toBeCloseTo(expected, 6);
  });
});

describe('decodeStride', () => {
  it.each([
    // stride, cell, bbox, expected box
    [8, 0, [0, 0, 0, 0], { x: -4, y: -4, width: 8, height: 8 }],
    [16, 3, [0, 0, 0, 0], { x: 8, y: 8, width: 16, height: 16 }],
    [32, 1, [0.5, 0.25, Math.log(2), Math.log(3)], { x: 16, y: -40, width: 64, height: 96 }],
    [8, 2, [-1, 1, Math.log(4), 0], { x: -24, y: 12, width: 32, height: 8 }],
  ])('stride %d cell %d decodes centre and exp sizes', (stride, cell, bbox, expected) => {
    const [face] = decodeStride(grid(stride, cell, bbox, []), 0.5);
    const b = face!.box;
    expect([b.x, b.y, b.width, b.height]).toEqual(
      [expected.x, expected.y, expected.width, expected.height].map((v) => expect.closeTo(v, 4)),
    );
    expect(face!.score).toBeCloseTo(0.9, 6);
  });

  it('places landmarks at (cell + offset) × stride', () => {
    const kps = [0.5, 0.5, 1, 0, 0, 1, -0.5, 2, 2, -1];
    const [face] = decodeStride(grid(16, 3, [0, 0, 0, 0], kps), 0.5);
    expect(face!.landmarks).toEqual([
      [24, 24],
      [32, 16],
      [16, 32],
      [8, 48],
      [48, 0],
    ]);
  });

  it.each([
    [0.5, 1],
    [0.95, 0],
    [0.05, 4],
  ])('threshold %d keeps %d cells', (threshold, count) => {
    expect(decodeStride(grid(8, 0, [0, 0, 0, 0], []), threshold)).toHaveLength(count);
  });
});
