import { describe, expect, it } from 'vitest';
import {
  type DetectionFacts,
  detectionReasons,
  splitMultiface,
} from '../../../src/handlers/index.ts';

const rect = (width: number, height = width) => ({ x: 0, y: 0, width, height });
const LIMITS = { score_threshold: 0.8, face_size__gte: 50, yaw_threshold: 20, pitch_threshold: 15 };

describe('detect filter', () => {
  it.each<[string, DetectionFacts, string[]]>([
    ['a good face', { rect: rect(80), score: 0.9, headPose: { yaw: 10, pitch: -5, roll: 40 } }, []],
    [
      'a low score',
      { rect: rect(80), score: 0.7, headPose: { yaw: 0, pitch: 0, roll: 0 } },
      ['score_threshold'],
    ],
    [
      'a small face',
      { rect: rect(80, 40), score: 0.9, headPose: { yaw: 0, pitch: 0, roll: 0 } },
      ['face_size__gte'],
    ],
    [
      'a turned face',
      { rect: rect(80), score: 0.9, headPose: { yaw: -25, pitch: 0, roll: 0 } },
      ['yaw_threshold'],
    ],
    [
      'a raised face',
      { rect: rect(80), score: 0.9, headPose: { yaw: 0, pitch: 16, roll: 0 } },
      ['pitch_threshold'],
    ],
    ['no head pose', { rect: rect(80), score: 0.9 }, ['yaw_threshold', 'pitch_threshold']],
    [
      'everything wrong',
      { rect: rect(20), score: 0.1, headPose: { yaw: 90, pitch: 90, roll: 0 } },
      ['score_threshold', 'face_size__gte', 'yaw_threshold', 'pitch_threshold'],
    ],
  ])('judges %s', (_, facts, filters) => {
    expect(detectionReasons(facts, LIMITS).map((r) => r.filter)).toEqual(filters);
  });

  it('gives the value and the limit of a refusal', () => {
    const [reason] = detectionReasons(
      { rect: rect(30, 60), score: 0.9 },
      { score_threshold: 0.5, face_size__gte: 40 },
    );
    expect(reason).toEqual({ filter: 'face_size__gte', value: 30, limit: 40 });
  });

  const faces = [{ rect: rect(50) }, { rect: rect(90) }, { rect: rect(70) }];

  it.each<[0 | 1 | 2, number[], number[]]>([
    [0, [], [0, 1, 2]],
    [1, [0, 1, 2], []],
    [2, [1], [0, 2]],
  ])('multiface policy %i keeps %j and refuses %j', (policy, kept, refused) => {
    const split = splitMultiface(faces, policy);
    expect(split.kept.map((f) => faces.indexOf(f))).toEqual(kept);
    expect(split.refused.map((r) => faces.indexOf(r.item))).toEqual(refused);
    for (const r of split.refused) {
      expect(r.reason).toEqual({ filter: 'multiface_policy', value: 3, limit: policy });
    }
  });

  it('keeps a lone face under every multiface policy', () => {
    for (const policy of [0, 1, 2] as const) {
      expect(splitMultiface([faces[0]!], policy).kept).toHaveLength(1);
    }
  });
});
