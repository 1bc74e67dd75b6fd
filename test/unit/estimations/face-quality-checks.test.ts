import { describe, expect, it } from 'vitest';
import {
  FACE_QUALITY_REQUEST,
  type FaceEstimations,
  runFaceQualityChecks,
} from '../../../src/estimations/index.ts';

const FACE: FaceEstimations = {
  faceSize: 200,
  eyeDistance: 100,
  headPose: { yaw: 4, pitch: -12, roll: 1 },
  quality: {
    blur: 0.1,
    underexposure: 0,
    overexposure: 0.2,
    faceSize: 200,
    eyeDistance: 100,
    score: 0.7,
  },
};

function result(
  estimations: FaceEstimations,
  request?: Parameters<typeof runFaceQualityChecks>[1],
) {
  return Object.fromEntries(runFaceQualityChecks(estimations, request).map((r) => [r.check, r]));
}

describe('face_quality checks', () => {
  it.each([
    ['head_yaw', 4, true],
    ['head_pitch', -12, false],
    ['eye_distance', 100, true],
    ['overexposure', 0.2, false],
    ['quality_score', 0.7, true],
  ])('%s reads %d and passes: %s', (check, value, passed) => {
    const r = result(FACE)[check]!;
    expect(r.value).toBe(value);
    expect(r.passed).toBe(passed);
  });

  it('fails a check whose estimator did not run, with a null value', () => {
    const r = result(FACE).left_eye_open!;
    expect(r).toMatchObject({ value: null, passed: false });
  });

  it.each([
    [
      'widening a threshold passes the check',
      { head_pitch: { threshold: { min: -15 } } },
      'head_pitch',
      true,
    ],
    ['narrowing one fails it', { head_yaw: { threshold: { max: 3 } } }, 'head_yaw', false],
  ])('%s', (_, request, check, passed) => {
    expect(result(FACE, request)[check]!.passed).toBe(passed);
  });

  it('keeps the other bound of an overridden threshold', () => {
    expect(result(FACE, { head_pitch: { threshold: { min: -15 } } }).head_pitch!.threshold).toEqual(
      {
        min: -15,
        max: 10,
      },
    );
  });

  it('skips checks turned off', () => {
    expect(result(FACE, { blur: { estimate: false } }).blur).toBeUndefined();
  });

  it.each([
    ['an unknown check', { nose_length: {} }],
    ['min above max', { blur: { threshold: { min: 1, max: 0 } } }],
    ['an unknown key', { blur: { limit: 1 } }],
  ])('the request schema refuses %s', (_, request) => {
    expect(FACE_QUALITY_REQUEST.safeParse(request).success).toBe(false);
  });
});
