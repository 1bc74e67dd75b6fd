import { describe, expect, it } from 'vitest';
import { capabilityIssues, POLICIES } from '../../../src/handlers/index.ts';

const LIST = '11111111-1111-4111-8111-111111111111';

/** Policies that break one rule each, and the path the error must name. */
const BAD: [string, unknown, string[]][] = [
  ['unknown key', { detect_policy: { score: 1 } }, ['detect_policy']],
  ['score over 1', { detect_policy: { score_threshold: 1.5 } }, ['detect_policy.score_threshold']],
  ['multiface 3', { detect_policy: { multiface_policy: 3 } }, ['detect_policy.multiface_policy']],
  [
    'yaw limit without head pose',
    { detect_policy: { yaw_threshold: 20 } },
    ['detect_policy.yaw_threshold'],
  ],
  [
    'match without descriptor',
    {
      extract_policy: { extract_face_descriptor: 0 },
      match_policy: [{ label: 'a', candidates: { origin: 'faces', list_id: LIST } }],
    },
    ['extract_policy.extract_face_descriptor'],
  ],
  [
    'list and face ids both',
    {
      match_policy: [
        { label: 'a', candidates: { origin: 'faces', list_id: LIST, face_ids: [LIST] } },
      ],
    },
    ['match_policy.0.candidates'],
  ],
  [
    'unknown origin',
    { match_policy: [{ label: 'a', candidates: { origin: 'people' } }] },
    ['match_policy.0.candidates.origin'],
  ],
  [
    'bad relative time',
    {
      match_policy: [{ label: 'a', candidates: { origin: 'events', create_time__gte: 'now-3y' } }],
    },
    ['match_policy.0.candidates.create_time__gte'],
  ],
  [
    'repeated label',
    {
      match_policy: [
        { label: 'a', candidates: { origin: 'faces', list_id: LIST } },
        { label: 'a', candidates: { origin: 'events' } },
      ],
    },
    ['match_policy'],
  ],
  [
    'age filter without basic attributes',
    { storage_policy: { event_policy: { filters: { age__gte: 18 } } } },
    ['storage_policy.event_policy.filters.age__gte'],
  ],
  [
    'liveness filter without liveness',
    { conditional_tags_policy: [{ tag: 'live', filters: { liveness: ['real'] } }] },
    ['conditional_tags_policy.0.filters.liveness'],
  ],
  [
    'match filter on a missing label',
    { storage_policy: { face_policy: { store_face: 1, filters: { match: [{ label: 'x' }] } } } },
    ['storage_policy.face_policy.filters.match.0.label'],
  ],
  [
    'links without a face',
    { storage_policy: { face_policy: { link_to_lists_policy: [{ list_id: LIST }] } } },
    ['storage_policy.face_policy.link_to_lists_policy'],
  ],
  [
    'unknown filter',
    { conditional_tags_policy: [{ tag: 't', filters: { mood: 'happy' } }] },
    ['conditional_tags_policy.0.filters'],
  ],
];

describe('policy schema', () => {
  it.each(BAD)('refuses %s, naming the path', (_, policies, paths) => {
    const result = POLICIES.safeParse(policies);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(paths);
  });

  it('fills every default, and the parsed form parses to itself', () => {
    const parsed = POLICIES.parse({ detect_policy: { estimate_head_pose: 1, yaw_threshold: 20 } });
    expect(parsed.detect_policy).toMatchObject({ multiface_policy: 1, estimate_head_pose: true });
    expect(parsed.storage_policy.event_policy).toEqual({
      store_event: true,
      wait_saving: true,
      filters: {},
    });
    expect(POLICIES.parse(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
  });

  it('accepts the issue example of events candidates with a relative time', () => {
    const parsed = POLICIES.parse({
      match_policy: [
        {
          label: 'recent',
          candidates: { origin: 'events', create_time__gte: 'now-3h', sources: ['door'] },
          threshold: 0.7,
          limit: 5,
        },
      ],
    });
    expect(parsed.match_policy[0]?.candidates).toEqual({
      origin: 'events',
      create_time__gte: 'now-3h',
      sources: ['door'],
    });
  });

  it.each([
    [{ liveness: false, headPose: true }, ['detect_policy.estimate_liveness']],
    [{ liveness: true, headPose: false }, ['detect_policy.estimate_head_pose']],
    [{ liveness: true, headPose: true }, []],
  ])('refuses estimations the appliance lacks (%o)', (can, paths) => {
    const parsed = POLICIES.parse({
      detect_policy: { estimate_liveness: 1, estimate_head_pose: 1 },
    });
    expect(capabilityIssues(parsed, can).map((i) => i.path.join('.'))).toEqual(paths);
  });
});
