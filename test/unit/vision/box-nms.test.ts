import { describe, expect, it } from 'vitest';
import { type Box, iou, suppressOverlaps } from '../../../src/vision/internal/math/box-nms.ts';

const box = (x: number, y: number, width: number, height: number): Box => ({ x, y, width, height });

describe('iou', () => {
  it.each([
    ['identical boxes', box(0, 0, 10, 10), box(0, 0, 10, 10), 1],
    ['disjoint boxes', box(0, 0, 10, 10), box(20, 20, 5, 5), 0],
    ['touching edges', box(0, 0, 10, 10), box(10, 0, 10, 10), 0],
    ['half overlap', box(0, 0, 10, 10), box(5, 0, 10, 10), 50 / 150],
    ['nested box', box(0, 0, 10, 10), box(2, 2, 5, 5), 25 / 100],
    ['empty box', box(0, 0, 0, 10), box(0, 0, 10, 10), 0],
    ['negative coordinates', box(-10, -10, 10, 10), box(-5, -5, 10, 10), 25 / 175],
  ])('%s', (_, a, b, expected) => {
    expect(iou(a, b)).toBeCloseTo(expected, 12);
    expect(iou(b, a)).toBeCloseTo(expected, 12);
  });
});

describe('suppressOverlaps', () => {
  const item = (id: string, score: number, b: Box) => ({ id, score, box: b });

  it.each([
    [
      'keeps the best of a cluster',
      [item('a', 0.7, box(0, 0, 10, 10)), item('b', 0.9, box(1, 1, 10, 10))],
      ['b'],
    ],
    [
      'keeps separate faces, best first',
      [item('a', 0.7, box(0, 0, 10, 10)), item('b', 0.9, box(50, 50, 10, 10))],
      ['b', 'a'],
    ],
    [
      'keeps a box overlapping only a suppressed one',
      [
        item('a', 0.9, box(0, 0, 10, 10)),
        item('b', 0.8, box(4, 0, 10, 10)),
        item('c', 0.7, box(11, 0, 10, 10)),
      ],
      ['a', 'c'],
    ],
    ['returns nothing for nothing', [], []],
  ])('%s', (_, candidates, expected) => {
    expect(suppressOverlaps(candidates, 0.3).map((c) => c.id)).toEqual(expected);
  });

  it('stops at the limit', () => {
    const many = Array.from({ length: 10 }, (_, i) =>
      item(String(i), i / 10, box(i * 20, 0, 10, 10)),
    );
    expect(suppressOverlaps(many, 0.3, 3).map((c) => c.id)).toEqual(['9', '8', '7']);
  });

  it('keeps overlapping boxes when the threshold allows it', () => {
    const pair = [item('a', 0.9, box(0, 0, 10, 10)), item('b', 0.8, box(5, 0, 10, 10))];
    expect(suppressOverlaps(pair, 0.5)).toHaveLength(2);
  });
});
