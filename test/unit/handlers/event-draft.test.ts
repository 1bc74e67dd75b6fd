import { describe, expect, it } from 'vitest';
import {
  combineLiveness,
  draftEvent,
  type EventFace,
  groupFaces,
  type RequestFacts,
} from '../../../src/handlers/event-draft.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');

function face(patch: Partial<EventFace>): EventFace {
  return { imageIndex: 0, filename: 'a.jpg', sampleId: crypto.randomUUID(), ...patch };
}

const FACTS: RequestFacts = {
  accountId: '00000000-0000-4000-8000-0000000000aa',
  handlerId: '11111111-1111-4111-8111-111111111111',
  source: 'door',
  trackId: undefined,
  externalId: undefined,
  userData: '',
  meta: undefined,
  exif: [{ make: 'Cam' }, undefined],
};

const unit = (values: number[]) => {
  const v = new Float32Array(512);
  values.forEach((x, i) => {
    v[i] = x;
  });
  return v;
};

describe('event drafts', () => {
  it('makes one event per face, or one for all when aggregating', () => {
    const faces = [face({}), face({}), face({})];
    expect(groupFaces(faces, false)).toEqual([[faces[0]], [faces[1]], [faces[2]]]);
    expect(groupFaces(faces, true)).toEqual([faces]);
    expect(groupFaces([], true)).toEqual([]);
  });

  it.each([
    ['all real', ['real', 'real'], 'real', 0.7],
    ['one spoof', ['real', 'spoof'], 'spoof', 0.2],
    ['one unknown', ['real', 'unknown'], 'unknown', 0.5],
  ] as const)('combines liveness: %s', (_, predictions, want, probability) => {
    const probabilities = { real: 0.7, spoof: 0.2, unknown: 0.5 };
    const faces = predictions.map((p) =>
      face({ liveness: { prediction: p, probability: probabilities[p] } }),
    );
    expect(combineLiveness(faces)).toEqual({ prediction: want, probability });
  });

  it('is not real when some faces were not judged', () => {
    const faces = [face({ liveness: { prediction: 'real', probability: 0.9 } }), face({})];
    expect(combineLiveness(faces)?.prediction).toBe('unknown');
    expect(combineLiveness([face({})])).toBeUndefined();
  });

  it('averages age, gender and descriptors of an aggregate', () => {
    const faces = [
      face({ basic: { age: 30, gender: 1 }, descriptor: unit([1, 0]) }),
      face({ imageIndex: 1, basic: { age: 40, gender: 0 }, descriptor: unit([0, 1]) }),
    ];
    const event = draftEvent(faces, FACTS, 'v1', NOW);
    expect(event.basicAttributes).toEqual({ age: 35, gender: 0.5 });
    expect(event.descriptor?.version).toBe('v1');
    expect(event.descriptor?.vector[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(event.descriptor?.vector[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(event.detections).toHaveLength(2);
    expect(event.exif).toEqual({ make: 'Cam' });
    expect(event).toMatchObject({ source: 'door', createTime: NOW, matches: [], tags: [] });
  });

  it('gives events time-ordered ids', () => {
    const ids = Array.from({ length: 20 }, () => draftEvent([face({})], FACTS, 'v1', NOW).eventId);
    expect([...ids].sort()).toEqual(ids);
  });
});
