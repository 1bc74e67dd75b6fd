import { describe, expect, it } from 'vitest';
import { contextRegion, touchesFrameEdge } from '../../../src/vision/internal/math/context-box.ts';
import {
  eyeDistance,
  eyeLineRoll,
  faceOutline,
  landmarkHeadPose,
} from '../../../src/vision/internal/math/face-geometry.ts';
import {
  regionToSource,
  turnedSquareToSource,
} from '../../../src/vision/internal/math/region-map.ts';
import { applyAffine } from '../../../src/vision/internal/math/similarity-transform.ts';
import { argMax, binExpectation, softmax } from '../../../src/vision/internal/math/softmax.ts';

describe('softmax', () => {
  it.each([
    ['equal logits', [0, 0], [0.5, 0.5]],
    ['large logits stay finite', [1000, 1000, 1000], [1 / 3, 1 / 3, 1 / 3]],
    ['one dominant', [0, Math.log(3)], [0.25, 0.75]],
  ])('%s', (_, logits, expected) => {
    for (const [i, p] of softmax(logits).entries()) {
      expect(p).toBeCloseTo(expected[i]!, 9);
    }
  });

  it.each([
    ['all mass on bin 0 of 3° bins from −99°', [50, 0, 0], -99],
    ['all mass on bin 33', Array.from({ length: 66 }, (_, i) => (i === 33 ? 60 : 0)), 0],
    ['two bins shared', [0, 0], -97.5],
  ])('binExpectation: %s', (_, logits, expected) => {
    expect(binExpectation(logits, 3, -99)).toBeCloseTo(expected, 6);
  });

  it.each([
    [[1, 3, 2], 1],
    [[5, 5], 0],
    [[], -1],
  ])('argMax(%j) = %i', (values, expected) => {
    expect(argMax(values)).toBe(expected);
  });
});

describe('context boxes of the anti-spoofing models', () => {
  const box = { x: 100, y: 100, width: 50, height: 60 };
  it.each([
    [
      'fits: scaled around the centre',
      box,
      2,
      640,
      480,
      { left: 75, top: 70, width: 100, height: 120 },
    ],
    [
      'too tall: scale shrinks to the frame height',
      box,
      4,
      640,
      200,
      { left: 41.67, top: 0, width: 166.67, height: 200 },
    ],
    [
      'crosses the left edge: slides right',
      { ...box, x: 10 },
      2,
      640,
      480,
      { left: 0, top: 70, width: 100, height: 120 },
    ],
    [
      'crosses the right edge: slides left',
      { ...box, x: 600 },
      2,
      640,
      480,
      { left: 540, top: 70, width: 100, height: 120 },
    ],
  ])('%s', (_, b, scale, w, h, expected) => {
    const r = contextRegion(b, scale, w, h);
    expect(r.left).toBeCloseTo(expected.left, 1);
    expect(r.top).toBeCloseTo(expected.top, 1);
    expect(r.width).toBeCloseTo(expected.width, 1);
    expect(r.height).toBeCloseTo(expected.height, 1);
  });

  it.each([
    ['inside', { x: 10, y: 10, width: 50, height: 50 }, false],
    ['at the left edge', { x: 0, y: 10, width: 50, height: 50 }, true],
    ['at the bottom edge', { x: 10, y: 50, width: 50, height: 50 }, true],
    ['two pixels in', { x: 2, y: 2, width: 50, height: 50 }, false],
  ])('touchesFrameEdge: %s', (_, b, expected) => {
    expect(touchesFrameEdge(b, 100, 100, 1)).toBe(expected);
  });
});

describe('maps from network inputs to the image', () => {
  it('resizing a region maps pixel centres as a plain resize does', () => {
    const m = regionToSource({ left: 10, top: 20, width: 40, height: 20 }, 4, 2);
    expect(applyAffine(m, [0, 0])).toEqual([14.5, 24.5]);
    expect(applyAffine(m, [3, 1])).toEqual([44.5, 34.5]);
  });

  it.each([
    ['level', 0, [0, 0], [45.5, 45.5]],
    ['level, far corner', 0, [9, 9], [54.5, 54.5]],
    ['turned 90°: the output x axis runs down the image', Math.PI / 2, [9, 4.5], [50, 54.5]],
  ])('turned square, %s', (_, angle, uv, expected) => {
    const m = turnedSquareToSource({ centreX: 50, centreY: 50, side: 10, angle }, 10);
    const [x, y] = applyAffine(m, uv as [number, number]);
    expect(x).toBeCloseTo(expected[0]!, 9);
    expect(y).toBeCloseTo(expected[1]!, 9);
  });
});

describe('head geometry from landmarks', () => {
  // right eye, left eye, nose, right mouth corner, left mouth corner (image-left first).
  const level: [number, number][] = [
    [40, 50],
    [80, 50],
    [60, 70],
    [44, 90],
    [76, 90],
  ];
  const turn = (deg: number) => {
    const t = (deg * Math.PI) / 180;
    return level.map(([x, y]) => [
      60 + (x - 60) * Math.cos(t) - (y - 70) * Math.sin(t),
      70 + (x - 60) * Math.sin(t) + (y - 70) * Math.cos(t),
    ]) as [number, number][];
  };

  it.each([
    [0, 0],
    [20, 20],
    [-35, -35],
  ])('eye-line roll follows a rotation of %i° (clockwise positive)', (deg, expected) => {
    expect(eyeLineRoll(turn(deg))).toBeCloseTo(expected, 9);
    expect(eyeDistance(turn(deg))).toBeCloseTo(40, 9);
  });

  it.each([
    ['centred nose: no yaw', 0, 0],
    ['nose to the image left: turned to their right, yaw > 0', -8, 17.6],
    ['nose to the image right: yaw < 0', 8, -17.6],
  ])('%s', (_, shift, yaw) => {
    const points = level.map((p, i) => (i === 2 ? [p[0] + shift, p[1]] : p)) as [number, number][];
    expect(landmarkHeadPose(points).yaw).toBeCloseTo(yaw, 6);
  });

  it('outlines the face from forehead to chin and cheek to cheek', () => {
    const corners = faceOutline(level).map(([x, y]) => [
      Math.round(x * 10) / 10,
      Math.round(y * 10) / 10,
    ]);
    expect(corners).toEqual([
      [18, 6],
      [102, 6],
      [18, 121.2],
      [102, 121.2],
    ]);
  });

  it('turns the outline with the face', () => {
    const [topLeft, topRight] = faceOutline(turn(90));
    expect(topLeft![0]).toBeCloseTo(60 + 64, 6);
    expect(topRight![1]).toBeCloseTo(70 + 42, 6);
  });

  it('the landmark pose is unchanged by rolling the face', () => {
    const a = landmarkHeadPose(level);
    const b = landmarkHeadPose(turn(25));
    expect(b.yaw).toBeCloseTo(a.yaw, 6);
    expect(b.pitch).toBeCloseTo(a.pitch, 6);
    expect(b.roll).toBeCloseTo(25, 6);
  });
});
