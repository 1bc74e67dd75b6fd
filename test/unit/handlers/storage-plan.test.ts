import { describe, expect, it } from 'vitest';
import type { FilterSubject } from '../../../src/events/index.ts';
import { tagsFor } from '../../../src/handlers/conditional-tags.ts';
import { POLICIES } from '../../../src/handlers/index.ts';
import { planStorage } from '../../../src/handlers/storage-plan.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const STAFF = '11111111-1111-4111-8111-111111111111';
const GUESTS = '22222222-2222-4222-8222-222222222222';

function subject(patch: Partial<FilterSubject>): FilterSubject {
  return { createTime: NOW, tags: [], userData: '', bestByLabel: {}, ...patch };
}

const POLICY = POLICIES.parse({
  detect_policy: { estimate_basic_attributes: 1, estimate_liveness: 1 },
  match_policy: [{ label: 'staff', candidates: { origin: 'faces', list_id: STAFF } }],
  storage_policy: {
    face_sample_policy: { filters: { liveness: ['real'] } },
    image_origin_policy: { store_image: 1, filters: { age__gte: 18 } },
    attribute_policy: { store_attribute: 1, ttl: 60 },
    face_policy: {
      store_face: 1,
      filters: { match: [{ label: 'staff', similarity__lt: 0.5 }] },
      link_to_lists_policy: [
        { list_id: STAFF, filters: { gender: 1 } },
        { list_id: GUESTS, filters: {} },
      ],
    },
    event_policy: { filters: { liveness: ['real', 'unknown'] } },
  },
}).storage_policy;

describe('storage plan', () => {
  it('keeps everything a live, adult, unknown man passes', () => {
    const plan = planStorage(POLICY, subject({ age: 30, gender: 0.8, liveness: 'real' }), NOW);
    expect(plan).toEqual({
      sample: true,
      origin: true,
      attribute: { ttl: 60 },
      face: { avatar: true, listIds: [STAFF, GUESTS] },
      event: true,
      skipped: [],
    });
  });

  it('reports each refused part with its reasons and keeps the rest', () => {
    const known = { staff: { objectId: STAFF, similarity: 0.9 } };
    const plan = planStorage(
      POLICY,
      subject({ age: 12, gender: 0.1, liveness: 'spoof', bestByLabel: known }),
      NOW,
    );
    expect(plan).toMatchObject({ sample: false, origin: false, face: undefined, event: false });
    expect(plan.attribute).toEqual({ ttl: 60 });
    expect(plan.skipped.map((s) => s.policy)).toEqual([
      'face_sample_policy',
      'image_origin_policy',
      'face_policy',
      'event_policy',
    ]);
    expect(plan.skipped[2]?.reasons).toEqual([
      { filter: 'match.staff.similarity__lt', value: 0.9, limit: 0.5 },
    ]);
  });

  it('links only to the lists whose filters pass, reporting the others', () => {
    const plan = planStorage(POLICY, subject({ age: 30, gender: 0.2, liveness: 'real' }), NOW);
    expect(plan.face?.listIds).toEqual([GUESTS]);
    expect(plan.skipped).toEqual([
      {
        policy: 'face_policy.link_to_lists_policy.0',
        reasons: [{ filter: 'gender', value: 0, limit: 1 }],
      },
    ]);
  });

  it('keeps nothing switched off and reports nothing for it', () => {
    const off = POLICIES.parse({
      storage_policy: {
        face_sample_policy: { store_sample: 0 },
        event_policy: { store_event: 0 },
      },
    }).storage_policy;
    const plan = planStorage(off, subject({}), NOW);
    expect(plan).toEqual({
      sample: false,
      origin: false,
      attribute: undefined,
      face: undefined,
      event: false,
      skipped: [],
    });
  });
});

describe('conditional tags', () => {
  const TAGS = [
    { tag: 'vip', filters: { match: [{ label: 'vip', similarity__gte: 0.7 }] } },
    { tag: 'minor', filters: { age__lt: 18 } },
    { tag: 'seen', filters: {} },
  ];

  it.each<[string, Partial<FilterSubject>, string[]]>([
    [
      'a vip adult',
      { age: 40, bestByLabel: { vip: { objectId: 'f', similarity: 0.8 } } },
      ['door', 'seen', 'vip'],
    ],
    ['a child', { age: 9 }, ['door', 'seen', 'minor']],
    ['no age known', {}, ['door', 'seen']],
  ])('tags %s', (_, patch, want) => {
    expect(tagsFor(['door', 'seen'], TAGS, subject(patch), NOW)).toEqual(want);
  });
});
