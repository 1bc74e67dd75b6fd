/**
 * Handlers, events and verifiers through the HTTP app with real models on LFW photos: a register
 * handler that enrols only live, single, frontal faces; an identify handler that matches against
 * them, tags VIPs and remembers unknown visitors; search by face over events; event search,
 * statistics, aggregation, dynamic handlers and 1:1 verifiers.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { lfwImage } from '../helpers/paths.ts';

/** Single, frontal, live faces (checked with the estimators: |yaw| < 15, real ≥ 0.99). */
const VIPS: [string, number][] = [
  ['Tony_Blair', 18],
  ['Jean_Chretien', 8],
  ['David_Beckham', 1],
  ['Hans_Blix', 8],
];

/** The parts of the API views these tests read. */
interface Reason {
  filter: string;
  value: unknown;
  limit: unknown;
}
interface Candidate {
  face?: { face_id: string };
  event?: { event_id: string };
  similarity: number;
}
interface EventView {
  event_id: string;
  create_time: string;
  tags: string[];
  face_id: string | null;
  lists: string[];
  stored: boolean;
  meta: unknown;
  exif: unknown;
  skipped_policies: { policy: string; reasons: Reason[] }[];
  matches: { label: string; candidates: Candidate[] }[];
  top_match: { label: string; face_id?: string; event_id?: string; similarity: number } | null;
  attributes: {
    basic_attributes: { age: number; gender: number };
    liveness: { prediction: string; probability: number };
  };
  detections: { filename: string; head_pose: { yaw: number }; image_origin: string }[];
}
interface Generated {
  events: EventView[];
  filtered_detections: { reasons: Reason[] }[];
}
interface StatisticsGroup {
  group: Record<string, unknown>;
  count: number;
  age: { avg: number };
}

let appliance: TestAppliance;
let api: ApiClient;
let vipList: string;
let register: string;
let identify: string;
const faceOf = new Map<string, string>();

const photo = (name: string, n: number) => readFile(lfwImage(name, n));

async function createHandler(policies: unknown, extra: Record<string, unknown> = {}) {
  const res = await api.postJson('/6/handlers', { description: 'test', policies, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.handler_id as string;
}

async function postEvents(handlerId: string, bytes: Uint8Array, query = ''): Promise<Generated> {
  const res = await api.postBytes(`/6/handlers/${handlerId}/events${query}`, bytes);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function searchEvents(query: string): Promise<EventView[]> {
  const res = await api.get(`/6/events?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.events;
}

async function sideBySide(left: Buffer, right: Buffer): Promise<Buffer> {
  const canvas = { width: 500, height: 250, channels: 3 as const, background: '#808080' };
  return sharp({ create: canvas })
    .composite([
      { input: left, left: 0, top: 0 },
      { input: right, left: 250, top: 0 },
    ])
    .jpeg()
    .toBuffer();
}

const REGISTER_POLICIES = () => ({
  detect_policy: {
    multiface_policy: 0,
    estimate_head_pose: 1,
    yaw_threshold: 25,
    pitch_threshold: 25,
    estimate_liveness: 1,
    liveness_threshold: 0.5,
  },
  extract_policy: { extract_basic_attributes: 1 },
  storage_policy: {
    face_policy: {
      store_face: 1,
      filters: { liveness: ['real'] },
      link_to_lists_policy: [{ list_id: vipList, filters: { liveness: ['real'] } }],
    },
  },
});

const IDENTIFY_POLICIES = () => ({
  detect_policy: { estimate_basic_attributes: 1 },
  match_policy: [
    { label: 'vip', candidates: { origin: 'faces', list_id: vipList }, threshold: 0.5 },
    {
      label: 'seen',
      candidates: { origin: 'events', handler_ids: [identify], create_time__gte: 'now-1h' },
      threshold: 0.5,
      limit: 5,
    },
  ],
  conditional_tags_policy: [
    { tag: 'vip', filters: { match: [{ label: 'vip', similarity__gte: 0.6 }] } },
    { tag: 'female', filters: { gender: 0 } },
  ],
});

beforeAll(async () => {
  appliance = await startTestAppliance();
  api = apiClient(appliance.app, appliance.adminAuth);
  vipList = (await api.postJson('/6/lists', { user_data: 'vip' })).body.list_id;
  register = await createHandler(REGISTER_POLICIES());
  identify = await createHandler({});
  const put = await api.raw(`/6/handlers/${identify}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ description: 'identify', policies: IDENTIFY_POLICIES() }),
  });
  expect(put.status).toBe(204);
});

afterAll(async () => {
  await appliance?.dispose();
});

describe('register handler', () => {
  it('enrols single, frontal, live faces into the list', async () => {
    for (const [name, n] of VIPS) {
      const body = await postEvents(register, await photo(name, n), `?external_id=${name}`);
      expect(body.events).toHaveLength(1);
      const event = body.events[0]!;
      expect(event.attributes.liveness.prediction).toBe('real');
      expect(Math.abs(event.detections[0]!.head_pose.yaw)).toBeLessThan(25);
      expect(event.face_id).not.toBeNull();
      expect(event.lists).toEqual([vipList]);
      faceOf.set(name, event.face_id!);
    }
    const list = await api.get(`/6/lists/${vipList}`);
    expect(list.body.face_count).toBe(VIPS.length);
    const face = await api.get(`/6/faces/${faceOf.get('Tony_Blair')}`);
    expect(face.body.external_id).toBe('Tony_Blair');
    expect(face.body.samples).toHaveLength(1);
  });

  it('reports a turned face as filtered by yaw, with no event', async () => {
    const body = await postEvents(register, await photo('Jean_Chretien', 35));
    expect(body.events).toEqual([]);
    expect(body.filtered_detections).toHaveLength(1);
    const reason = body.filtered_detections[0]!.reasons[0]!;
    expect(reason.filter).toBe('yaw_threshold');
    expect(Math.abs(reason.value as number)).toBeGreaterThan(25);
  });

  it('refuses two people at once under multiface_policy 0, naming the reason', async () => {
    const both = await sideBySide(await photo('Tony_Blair', 18), await photo('Hans_Blix', 8));
    const body = await postEvents(register, both);
    expect(body.events).toEqual([]);
    expect(body.filtered_detections.length).toBeGreaterThanOrEqual(2);
    const reasons = body.filtered_detections.flatMap((f) => f.reasons.map((r) => r.filter));
    expect(reasons.filter((r: string) => r === 'multiface_policy')).toHaveLength(2);
  });

  it('stores the event of a spoof but makes no face, saying which filter refused it', async () => {
    const body = await postEvents(register, await photo('Silvio_Berlusconi', 6));
    const event = body.events[0]!;
    expect(event.attributes.liveness.prediction).toBe('spoof');
    expect(event.face_id).toBeNull();
    expect(event.stored).toBe(true);
    const skipped = event.skipped_policies.find((s) => s.policy === 'face_policy')!;
    expect(skipped.reasons[0]).toMatchObject({ filter: 'liveness', value: 'spoof' });
    expect((await api.get(`/6/lists/${vipList}`)).body.face_count).toBe(VIPS.length);
  });
});

describe('identify handler', () => {
  const seen = new Map<string, EventView>();

  it('matches a known person, tags them vip and puts them on top', async () => {
    for (const [name, n] of [
      ['Tony_Blair', 110],
      ['Jean_Chretien', 29],
    ] as const) {
      const event = (await postEvents(identify, await photo(name, n), '?source=door-1')).events[0]!;
      expect(event.top_match!.label).toBe('vip');
      expect(event.top_match!.face_id).toBe(faceOf.get(name));
      expect(event.top_match!.similarity).toBeGreaterThan(0.6);
      expect(event.tags).toContain('vip');
      seen.set(name, event);
    }
  });

  it('leaves an unknown visitor without a match or vip tag, but stores the event', async () => {
    for (const [name, n] of [
      ['Wen_Jiabao', 1],
      ['Nicole_Kidman', 3],
    ] as const) {
      const event = (await postEvents(identify, await photo(name, n), '?source=door-2')).events[0]!;
      expect(event.matches.find((m) => m.label === 'vip')!.candidates).toEqual([]);
      expect(event.tags).not.toContain('vip');
      expect(event.stored).toBe(true);
      seen.set(name, event);
    }
  });

  it('tags by gender exactly when the estimated gender says so', async () => {
    for (const event of seen.values()) {
      const female = event.attributes.basic_attributes.gender < 0.5;
      expect(event.tags.includes('female')).toBe(female);
    }
    expect(seen.get('Tony_Blair')!.tags).not.toContain('female');
  });

  it('recognises a returning unknown visitor among recent events (now-1h)', async () => {
    const event = (await postEvents(identify, await photo('Wen_Jiabao', 4))).events[0]!;
    const earlier = event.matches.find((m) => m.label === 'seen')!.candidates;
    expect(earlier[0]!.event!.event_id).toBe(seen.get('Wen_Jiabao')!.event_id);
    expect(earlier[0]!.similarity).toBeGreaterThan(0.5);
  });

  it('finds every sighting of an unknown person by face, with events as candidates', async () => {
    const sample = await api.postBytes('/6/detector', await photo('Wen_Jiabao', 6));
    const sampleId = sample.body.images[0].detections.samples[0].sample_id;
    const res = await api.postJson('/6/matcher/faces', {
      references: [{ type: 'sample', id: sampleId }],
      candidates: [
        { filters: { origin: 'events', handler_ids: [identify] }, limit: 10, threshold: 0.5 },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const found = res.body[0].matches[0].result;
    expect(found).toHaveLength(2);
    expect(found.map((r: Candidate) => r.event!.event_id)).toContain(
      seen.get('Wen_Jiabao')!.event_id,
    );
  });

  it('matches from an event reference against the list and against events', async () => {
    const tony = seen.get('Tony_Blair')!.event_id;
    const res = await api.postJson('/6/matcher/faces', {
      references: [{ type: 'event', id: tony }],
      candidates: [
        { filters: { origin: 'faces', list_id: vipList }, limit: 1 },
        { filters: { origin: 'events', sources: ['door-1'] }, limit: 1 },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [faces, events] = res.body[0].matches;
    expect(faces.result[0].face.face_id).toBe(faceOf.get('Tony_Blair'));
    expect(events.result[0].event.event_id).toBe(tony);
    expect(events.result[0].similarity).toBeGreaterThan(0.99);
  });
});

describe('event search and statistics', () => {
  it('filters by tags, source, top match and attributes, agreeing with each event', async () => {
    const all = await searchEvents(`handler_ids=${identify}`);
    expect(all).toHaveLength(5);
    const vip = await searchEvents(`handler_ids=${identify}&tags=vip`);
    expect(vip.map((e) => e.event_id).sort()).toEqual(
      all
        .filter((e) => e.tags.includes('vip'))
        .map((e) => e.event_id)
        .sort(),
    );
    const door2 = await searchEvents(`sources=door-2&handler_ids=${identify}`);
    expect(door2).toHaveLength(2);
    const tony = await searchEvents(`top_similar_object_ids=${faceOf.get('Tony_Blair')}`);
    expect(tony).toHaveLength(1);
    const ages = all.map((e) => e.attributes.basic_attributes.age).sort((a, b) => a - b);
    const pivot = (ages[1]! + ages[2]!) / 2;
    const older = await searchEvents(`handler_ids=${identify}&age__gte=${pivot}`);
    expect(older).toHaveLength(ages.filter((a) => a >= pivot).length);
  });

  it('pages by keyset on the time-ordered event id', async () => {
    const all = await searchEvents(`handler_ids=${identify}`);
    const first = await searchEvents(`handler_ids=${identify}&page_size=3`);
    const next = await searchEvents(
      `handler_ids=${identify}&page_size=3&event_id__lt=${first.at(-1)!.event_id}`,
    );
    expect([...first, ...next].map((e) => e.event_id)).toEqual(all.map((e) => e.event_id));
    const times = all.map((e) => Date.parse(e.create_time));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('counts and averages per tag and per hour from the stored values', async () => {
    const all = await searchEvents(`handler_ids=${identify}`);
    const res = await api.postJson('/6/events/statistics', {
      filters: { handler_ids: [identify] },
      targets: [{ field: 'age', functions: ['min', 'max', 'avg'] }],
      group_by: 'tag',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const vip = res.body.statistics.find((g: StatisticsGroup) => g.group.tag === 'vip');
    const vipAges = all
      .filter((e) => e.tags.includes('vip'))
      .map((e) => e.attributes.basic_attributes.age);
    expect(vip.count).toBe(vipAges.length);
    expect(vip.age.avg).toBeCloseTo(vipAges.reduce((a, b) => a + b, 0) / vipAges.length, 0);
    const hourly = await api.postJson('/6/events/statistics', {
      filters: { handler_ids: [identify], create_time__gte: 'now-1d' },
      group_by: 'hour',
    });
    const total = hourly.body.statistics.reduce(
      (sum: number, g: StatisticsGroup) => sum + g.count,
      0,
    );
    expect(total).toBe(all.length);
  });

  it('reads one event back exactly as generated', async () => {
    const generated = (await postEvents(identify, await photo('Tiger_Woods', 16))).events[0]!;
    const { stored: _, skipped_policies: __, ...view } = generated;
    const one = await api.get(`/6/events/${generated.event_id}`);
    expect(one.body).toEqual(view);
    expect((await api.get(`/6/events/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe('aggregation, dynamic handlers and saving', () => {
  const HANS = [7, 9, 31];

  it('aggregates several photos into one event with the mean attributes', async () => {
    const policies = {
      extract_policy: { extract_basic_attributes: 1 },
      match_policy: [{ label: 'vip', candidates: { origin: 'faces', list_id: vipList } }],
    };
    const handler = await createHandler(policies);
    const form = new FormData();
    const single = [];
    for (const n of HANS) {
      const bytes = await photo('Hans_Blix', n);
      form.append(`hans${n}`, new Blob([bytes], { type: 'image/jpeg' }), `hans${n}.jpg`);
      single.push((await postEvents(handler, bytes)).events[0]!);
    }
    const res = await api.postForm(`/6/handlers/${handler}/events?aggregate_attributes=1`, form);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [event] = res.body.events;
    expect(res.body.events).toHaveLength(1);
    expect(event.detections.map((d: { filename: string }) => d.filename)).toEqual(
      HANS.map((n) => `hans${n}.jpg`),
    );
    const meanAge = single.reduce((s, e) => s + e.attributes.basic_attributes.age, 0) / HANS.length;
    expect(event.attributes.basic_attributes.age).toBeCloseTo(meanAge, 0);
    expect(event.top_match!.face_id).toBe(faceOf.get('Hans_Blix'));
    const worst = Math.min(...single.map((e) => e.top_match!.similarity));
    expect(event.top_match!.similarity).toBeGreaterThanOrEqual(worst);
  });

  it('takes base64 photos with face boxes, warped samples and raw descriptors', async () => {
    const both = await sideBySide(await photo('Tony_Blair', 18), await photo('Hans_Blix', 8));
    const right = { x: 250, y: 0, width: 250, height: 250 };
    const boxed = await api.postJson(`/6/handlers/${identify}/events`, {
      images: [{ image: both.toString('base64'), bounding_boxes: [right] }],
    });
    expect(boxed.status, JSON.stringify(boxed.body)).toBe(201);
    expect(boxed.body.events).toHaveLength(1);
    expect(boxed.body.events[0].top_match.face_id).toBe(faceOf.get('Hans_Blix'));

    const tony = await api.get(`/6/faces/${faceOf.get('Tony_Blair')}`);
    const sample = await api.raw(`/6/samples/faces/${tony.body.samples[0]}`, {});
    const warped = Buffer.from(await sample.arrayBuffer()).toString('base64');
    const random = Buffer.from(new Float32Array(512).map(() => Math.random() - 0.5).buffer);
    const fromSample = await api.postJson(`/6/handlers/${identify}/events`, {
      images: [{ image: warped, image_type: 'sample' }],
    });
    expect(fromSample.body.events[0].top_match.face_id).toBe(faceOf.get('Tony_Blair'));
    const fromDescriptor = await api.postJson(`/6/handlers/${identify}/events`, {
      descriptors: [{ descriptor: random.toString('base64') }],
    });
    expect(fromDescriptor.status, JSON.stringify(fromDescriptor.body)).toBe(201);
    expect(fromDescriptor.body.events[0].detections[0].rect).toBeNull();
    expect(fromDescriptor.body.events[0].top_match).toBeNull();
  });

  it('runs a dynamic handler with the policies and meta of the request', async () => {
    const handler = await createHandler({}, { is_dynamic: true });
    const form = new FormData();
    form.append(
      'photo',
      new Blob([await photo('Tony_Blair', 48)], { type: 'image/jpeg' }),
      'a.jpg',
    );
    form.append(
      'policies',
      JSON.stringify({ conditional_tags_policy: [{ tag: 'any', filters: {} }] }),
    );
    form.append('meta', JSON.stringify({ camera: { floor: 3 } }));
    const res = await api.postForm(`/6/handlers/${handler}/events?track_id=t-1`, form);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.events[0]).toMatchObject({ tags: ['any'], meta: { camera: { floor: 3 } } });
    const bad = new FormData();
    bad.append('photo', new Blob([await photo('Tony_Blair', 48)], { type: 'image/jpeg' }), 'a.jpg');
    bad.append('policies', JSON.stringify({ detect_policy: { score_threshold: 2 } }));
    const refused = await api.postForm(`/6/handlers/${handler}/events`, bad);
    expect(refused.status).toBe(400);
    expect(refused.body.issues[0].path).toBe('body.policies.detect_policy.score_threshold');
  });

  it('answers before the write with wait_saving 0, and the event follows', async () => {
    const handler = await createHandler({ storage_policy: { event_policy: { wait_saving: 0 } } });
    const event = (await postEvents(handler, await photo('Tiger_Woods', 3))).events[0]!;
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await api.get(`/6/events/${event.event_id}`)).status;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(200);
  });

  it('leaves no event, face or link when a linked list vanished before the write', async () => {
    const list = (await api.postJson('/6/lists', {})).body.list_id;
    const handler = await createHandler({
      storage_policy: { face_policy: { store_face: 1, link_to_lists_policy: [{ list_id: list }] } },
    });
    expect((await api.delete(`/6/lists/${list}`)).status).toBe(204);
    const facesBefore = (await api.get('/6/faces?page_size=1')).body.count;
    const res = await api.postBytes(`/6/handlers/${handler}/events`, await photo('Tiger_Woods', 5));
    expect(res.status).toBe(404);
    expect(await searchEvents(`handler_ids=${handler}`)).toEqual([]);
    expect((await api.get('/6/faces?page_size=1')).body.count).toBe(facesBefore);
  });

  it('keeps the uploaded photo and its EXIF when asked', async () => {
    const handler = await createHandler({
      storage_policy: { image_origin_policy: { store_image: 1 } },
    });
    const tagged = await sharp(await photo('Tiger_Woods', 12))
      .withExif({ IFD0: { Make: 'Lunette', Model: 'Door cam' } })
      .jpeg()
      .toBuffer();
    const event = (await postEvents(handler, tagged, '?use_exif_info=1')).events[0]!;
    expect(event.exif).toMatchObject({ make: 'Lunette', model: 'Door cam' });
    const origin = await api.raw(event.detections[0]!.image_origin, {});
    expect(origin.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await origin.arrayBuffer()).equals(tagged)).toBe(true);
  });
});

describe('handlers and verifiers', () => {
  it('validates policies without saving and names the JSON path of each error', async () => {
    const ok = await api.postJson('/6/handlers/validator', { policies: {} });
    expect(ok.status).toBe(200);
    expect(ok.body.policies.storage_policy.event_policy.store_event).toBe(true);
    const bad = await api.postJson('/6/handlers/validator', {
      policies: {
        match_policy: [{ label: 'a', candidates: { origin: 'events', create_time__gte: 'soon' } }],
        conditional_tags_policy: [{ tag: 'x', filters: { match: [{ label: 'b' }] } }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'body.policies.conditional_tags_policy.0.filters.match.0.label',
      'body.policies.match_policy.0.candidates.create_time__gte',
    ]);
    const missing = await api.postJson('/6/handlers/validator', {
      policies: {
        match_policy: [
          { label: 'a', candidates: { origin: 'faces', list_id: crypto.randomUUID() } },
        ],
      },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('body.policies.match_policy.0.candidates.list_id');
  });

  it('lists, counts, reads and deletes handlers', async () => {
    const count = (await api.get('/6/handlers/count')).body.count;
    const listed = (await api.get('/6/handlers?page_size=100')).body.handlers;
    expect(listed).toHaveLength(count);
    const one = await api.get(`/6/handlers/${register}`);
    expect(one.body.policies.detect_policy.yaw_threshold).toBe(25);
    const spare = await createHandler({});
    expect((await api.delete(`/6/handlers/${spare}`)).status).toBe(204);
    expect((await api.get(`/6/handlers/${spare}`)).status).toBe(404);
  });

  it('verifies a photo 1:1 against faces with the verifier threshold', async () => {
    const created = await api.postJson('/6/verifiers', {
      description: 'gate',
      policies: { verification_threshold: 0.6 },
    });
    expect(created.status).toBe(201);
    const ids = [faceOf.get('Tony_Blair'), faceOf.get('Hans_Blix')].join(',');
    const url = `/6/verifiers/${created.body.verifier_id}/verifications?face_ids=${ids}`;
    const res = await api.postBytes(url, await photo('Tony_Blair', 121));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [tony, hans] = res.body.detections[0].verifications;
    expect(tony).toMatchObject({ face_id: faceOf.get('Tony_Blair'), status: true });
    expect(hans).toMatchObject({ face_id: faceOf.get('Hans_Blix'), status: false });
    expect(tony.similarity).toBeGreaterThan(hans.similarity);
  });
});
