import { describe, expect, it } from 'vitest';
import {
  auc,
  fitSlope,
  type ScoredPair,
  tarAt,
  tenFoldAccuracy,
  thresholdAtFar,
} from '../../../src/evaluation/index.ts';

function pairs(same: number[], different: number[], fold = 0): ScoredPair[] {
  return [
    ...same.map((score) => ({ fold, same: true, score })),
    ...different.map((score) => ({ fold, same: false, score })),
  ];
}

describe('verification metrics', () => {
  it.each([
    [pairs([0.9, 0.8], [0.1, 0.2]), 1],
    [pairs([0.1, 0.2], [0.9, 0.8]), 0],
    [pairs([0.5], [0.5]), 0.5],
  ])('computes AUC of %j as %d', (input, expected) => {
    expect(auc(input)).toBeCloseTo(expected, 9);
  });

  it('puts the FAR threshold just above the allowed impostor', () => {
    const impostors = Array.from({ length: 100 }, (_, i) => i / 100);
    const input = pairs([0.995, 0.985, 0.5], impostors);
    const t = thresholdAtFar(input, 0.01);
    expect(t).toBeGreaterThan(0.98);
    expect(t).toBeLessThan(0.981);
    expect(tarAt(input, t)).toBeCloseTo(2 / 3, 9);
  });

  it('scores separable folds at 100 % with zero spread', () => {
    const input = [0, 1, 2].flatMap((fold) => pairs([0.8, 0.7], [0.1, 0.3], fold));
    expect(tenFoldAccuracy(input)).toEqual({ mean: 1, sd: 0, folds: [1, 1, 1] });
  });

  it('fits a steeper slope for better separated scores', () => {
    const wide = pairs([0.9, 0.8, 0.7, 0.45], [0.1, 0.2, 0.3, 0.55]);
    const narrow = pairs([0.6, 0.55, 0.52, 0.45], [0.4, 0.45, 0.48, 0.55]);
    expect(fitSlope(wide, 0.5)).toBeGreaterThan(0);
    expect(fitSlope(narrow, 0.5)).toBeGreaterThan(0);
  });
});
