import { describe, expect, it } from 'vitest';
import { RocPairs } from '../../../src/tasks/internal/roc-pairs.ts';
import { syntheticGallery } from '../../helpers/synthetic-descriptors.ts';

function matrixOf(n: number) {
  const { faces } = syntheticGallery(n, 9, 5);
  const m = new Float32Array(n * 512);
  faces.forEach((f, i) => {
    m.set(f.vector, i * 512);
  });
  return { m, labels: faces.map((_, i) => `p${i % Math.ceil(n / 5)}`) };
}

describe('roc pairs', () => {
  it('scores every pair when they fit the impostor budget', () => {
    const { m, labels } = matrixOf(100);
    const pairs = new RocPairs(m, labels, 10_000);
    let steps = 0;
    while (!pairs.advance(500)) {
      steps++;
    }
    expect(steps).toBeGreaterThan(5);
    expect(pairs.sampled).toBe(false);
    expect(pairs.genuine).toHaveLength(20 * 10);
    expect(pairs.impostor).toHaveLength(4950 - 200);
    expect(pairs.progress).toBe(1);
  });

  it('takes every genuine pair and a seeded sample of impostors past the budget', () => {
    const { m, labels } = matrixOf(200);
    const run = () => {
      const pairs = new RocPairs(m, labels, 1000, 42);
      while (!pairs.advance(300)) {}
      return pairs;
    };
    const pairs = run();
    expect(pairs.sampled).toBe(true);
    expect(pairs.genuine).toHaveLength(40 * 10);
    expect(pairs.impostor).toHaveLength(1000);
    expect(run().impostor).toEqual(pairs.impostor);
    expect(Math.max(...pairs.impostor)).toBeLessThan(Math.min(...pairs.genuine) + 0.5);
  });
});
