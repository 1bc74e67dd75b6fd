import { describe, expect, it } from 'vitest';
import { ENROLMENT_POLICY, evaluateEnrolment } from '../../../src/enrolment/index.ts';
import type { FaceEstimations } from '../../../src/estimations/index.ts';

const quality = (score: number) => ({
  blur: 0.2,
  underexposure: 0,
  overexposure: 0,
  faceSize: 100,
  eyeDistance: 40,
  score,
});

const GOOD: FaceEstimations = {
  faceSize: 100,
  eyeDistance: 40,
  headPose: { yaw: 5, pitch: -3, roll: 0 },
  quality: quality(0.8),
  liveness: { prediction: 'real', probability: 0.98 },
};

const POLICY = {
  min_quality: 0.5,
  max_yaw: 20,
  max_pitch: 20,
  min_eye_distance: 30,
  liveness_required: true,
};

describe('enrolment gate', () => {
  it('admits a face that passes every check', () => {
    expect(evaluateEnrolment(POLICY, [GOOD])).toEqual([]);
  });

  it.each([
    ['a tiny face', { ...GOOD, eyeDistance: 12 }, 'min_eye_distance', 12],
    ['a blurred face', { ...GOOD, quality: quality(0.3) }, 'min_quality', 0.3],
    ['a face turned left', { ...GOOD, headPose: { yaw: -35, pitch: 0, roll: 0 } }, 'max_yaw', 35],
    [
      'a spoof',
      { ...GOOD, liveness: { prediction: 'spoof' as const, probability: 0.1 } },
      'liveness_required',
      'spoof',
    ],
  ])('refuses %s, naming the check and the value', (_, sample, check, value) => {
    expect(evaluateEnrolment(POLICY, [sample])).toEqual([
      expect.objectContaining({ check, value }),
    ]);
  });

  it('judges an aggregate by its worst sample', () => {
    const worse = { ...GOOD, headPose: { yaw: 4, pitch: 25, roll: 0 } };
    expect(evaluateEnrolment(POLICY, [GOOD, worse])).toEqual([
      { check: 'max_pitch', value: 25, limit: 20 },
    ]);
  });

  it('fails checks whose values were never estimated, saying which flag was missing', () => {
    const bare: FaceEstimations = { faceSize: 100, eyeDistance: 40 };
    const failed = evaluateEnrolment(POLICY, [bare]);
    expect(failed.map((f) => f.check)).toEqual([
      'min_quality',
      'max_yaw',
      'max_pitch',
      'liveness_required',
    ]);
    expect(failed[0]).toMatchObject({
      value: null,
      detail: expect.stringContaining('estimate_quality=1'),
    });
  });

  it('fails every check of a face with no samples', () => {
    expect(evaluateEnrolment({ min_eye_distance: 10 }, [])).toEqual([
      expect.objectContaining({ check: 'min_eye_distance', value: null }),
    ]);
  });

  it.each([
    ['an unknown limit', { max_roll: 10 }],
    ['a quality above 1', { min_quality: 2 }],
  ])('the policy schema refuses %s', (_, policy) => {
    expect(ENROLMENT_POLICY.safeParse(policy).success).toBe(false);
  });
});
