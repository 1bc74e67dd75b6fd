import { describe, expect, it } from 'vitest';
import { mergeSsrStages, type SsrStage } from '../../../src/vision/internal/math/ssr-merge.ts';

const stage = (p: number[], eta = [0, 0, 0], delta = 0): SsrStage => ({
  probabilities: p,
  indexOffsets: eta,
  widthDelta: delta,
});

describe('mergeSsrStages', () => {
  it.each([
    ['all mass on bin 0', [stage([1, 0, 0]), stage([1, 0, 0]), stage([1, 0, 0])], 101, 0],
    // 2/3 + 2/9 + 2/27 of the range
    [
      'all mass on the last bins',
      [stage([0, 0, 1]), stage([0, 0, 1]), stage([0, 0, 1])],
      1,
      26 / 27,
    ],
    ['one middle stage', [stage([0, 1, 0])], 90, 30],
    ['index shift', [stage([0, 1, 0], [0, 0.5, 0])], 90, 45],
    ['wider bins', [stage([0, 1, 0], [0, 0, 0], 1)], 90, 15],
    [
      'deltas compound across stages',
      [stage([0, 1, 0], [0, 0, 0], 1), stage([0, 1, 0], [0, 0, 0], 0.5)],
      1,
      1 / 6 + 1 / (6 * 4.5),
    ],
    ['uniform bins', [stage([1 / 3, 1 / 3, 1 / 3])], 3, 1],
  ])('%s', (_, stages, range, expected) => {
    expect(mergeSsrStages(stages, range)).toBeCloseTo(expected, 9);
  });
});
