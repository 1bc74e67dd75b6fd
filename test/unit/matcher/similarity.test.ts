import { describe, expect, it } from 'vitest';
import {
  calibrationOf,
  cosineToSimilarity,
  DEFAULT_THRESHOLD,
  similarityToCosine,
} from '../../../src/matcher/index.ts';

const calibration = calibrationOf('fr_feature-1');

describe('similarity calibration', () => {
  it('maps the calibration centre to the default threshold', () => {
    expect(cosineToSimilarity(calibration.centre, calibration)).toBeCloseTo(DEFAULT_THRESHOLD, 9);
  });

  it.each([-1, -0.3, 0, 0.2, 0.5, 0.9, 1])('inverts cleanly at cosine %d', (cosine) => {
    const s = cosineToSimilarity(cosine, calibration);
    expect(s).toBeGreaterThanOrEqual(0);
    expect(s).toBeLessThanOrEqual(1);
    expect(similarityToCosine(s, calibration)).toBeCloseTo(cosine, 5);
  });

  it('is monotone', () => {
    let previous = -1;
    for (let c = -1; c <= 1; c += 0.01) {
      const s = cosineToSimilarity(c, calibration);
      expect(s).toBeGreaterThanOrEqual(previous);
      previous = s;
    }
  });

  it('refuses an unknown descriptor version', () => {
    expect(() => calibrationOf('other-9')).toThrow(/no similarity calibration/);
  });
});
