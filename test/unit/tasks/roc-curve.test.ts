import { describe, expect, it } from 'vitest';
import { auc, tarAt, thresholdAtFar } from '../../../src/evaluation/index.ts';
import {
  equalErrorRate,
  passRate,
  rankAuc,
  rocCurve,
  sortedScores,
} from '../../../src/tasks/internal/roc-curve.ts';
import { seededGauss } from '../../helpers/synthetic-descriptors.ts';

const gauss = seededGauss(7);
const genuine = Array.from({ length: 600 }, () => 0.6 + 0.15 * gauss());
const impostor = Array.from({ length: 5000 }, () => 0.05 + 0.1 * gauss());
const g = sortedScores(genuine);
const i = sortedScores(impostor);

describe('roc curve', () => {
  it.each([
    [[1, 2, 3, 4], 2.5, 0.5],
    [[1, 2, 3, 4], 3, 0.5],
    [[1, 2, 3, 4], 0, 1],
    [[1, 2, 3, 4], 5, 0],
    [[], 1, 0],
  ])('pass rate of %j at %s is %s', (scores, threshold, rate) => {
    expect(passRate(sortedScores(scores), threshold)).toBe(rate);
  });

  it('agrees with the evaluation module on AUC, ties included', () => {
    const pairs = [
      ...genuine.map((score) => ({ fold: 0, same: true, score })),
      ...impostor.map((score) => ({ fold: 0, same: false, score })),
    ];
    expect(rankAuc(g, i)).toBeCloseTo(auc(pairs), 12);
    const tied = [0.1, 0.5, 0.5, 0.9];
    const tiedPairs = [
      ...tied.map((score) => ({ fold: 0, same: true, score })),
      ...[0.5, 0.5, 0.2].map((score) => ({ fold: 0, same: false, score })),
    ];
    expect(rankAuc(sortedScores(tied), sortedScores([0.5, 0.5, 0.2]))).toBeCloseTo(
      auc(tiedPairs),
      12,
    );
  });

  it('agrees with the evaluation module on TAR at a FAR', () => {
    const pairs = [
      ...genuine.map((score) => ({ fold: 0, same: true, score })),
      ...impostor.map((score) => ({ fold: 0, same: false, score })),
    ];
    const t = thresholdAtFar(pairs, 1e-2);
    expect(passRate(g, t)).toBe(tarAt(pairs, t));
    expect(passRate(i, t)).toBeLessThanOrEqual(1e-2);
  });

  it('finds the equal error rate where false rejects meet false accepts', () => {
    const { eer, threshold } = equalErrorRate(g, i);
    const frr = 1 - passRate(g, threshold);
    const far = passRate(i, threshold);
    expect(Math.abs(frr - far)).toBeLessThan(0.01);
    expect(eer).toBeCloseTo((frr + far) / 2, 12);
    expect(equalErrorRate(sortedScores([0.9, 0.8]), sortedScores([0.1, 0.2])).eer).toBe(0);
  });

  it('runs from (0, 0) to (1, 1), monotone, within the point budget', () => {
    const curve = rocCurve(g, i, 100);
    expect(curve.length).toBeLessThanOrEqual(102);
    expect(curve[0]).toMatchObject({ tpr: 0, fpr: 0 });
    expect(curve.at(-1)).toMatchObject({ tpr: 1, fpr: 1 });
    for (let k = 1; k < curve.length; k++) {
      expect(curve[k]!.tpr).toBeGreaterThanOrEqual(curve[k - 1]!.tpr);
      expect(curve[k]!.fpr).toBeGreaterThanOrEqual(curve[k - 1]!.fpr);
    }
  });
});
