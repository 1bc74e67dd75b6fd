import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlAttributeStore } from '../../../src/attributes/attribute-store.ts';
import { dot } from '../../../src/descriptors/index.ts';
import { EventDescriptorMatrix } from '../../../src/events/event-descriptor-matrix.ts';
import { eventInsertStatements } from '../../../src/events/event-rows.ts';
import { filtersToSql } from '../../../src/events/filter-sql.ts';
import {
  createEventsModule,
  type EventFilters,
  type EventRecord,
  type EventsModule,
} from '../../../src/events/index.ts';
import { createFileStore } from '../../../src/images/index.ts';
import { calibrationOf, type StoragePrecision } from '../../../src/matcher/index.ts';
import { openTempDb, type TempDb } from '../../helpers/temp-db.ts';
import { makeEvent } from './event-fixtures.ts';

const VERSION = 'fr_feature-1';
const OTHER_VERSION = 'fr_feature-2';
const A = '00000000-0000-4000-8000-0000000000aa';
const B = '00000000-0000-4000-8000-0000000000bb';
const NOW = Date.parse('2026-03-10T12:00:00Z');
const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function unit(next: () => number): Float32Array {
  const v = new Float32Array(512);
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = next() - 0.5;
    sum += v[i]! * v[i]!;
  }
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) {
    v[i] = v[i]! * inv;
  }
  return v;
}

/** A unit vector near `base` (a same-person look-alike). */
function near(base: Float32Array, next: () => number, noise: number): Float32Array {
  const other = unit(next);
  const v = new Float32Array(512);
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = base[i]! + noise * other[i]!;
    sum += v[i]! * v[i]!;
  }
  const inv = 1 / Math.sqrt(sum);
  return v.map((x) => x * inv);
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

/** 800 events of two accounts with varied filter fields; some share a descriptor (ties). */
function makeEvents(): EventRecord[] {
  const next = random(7);
  const people = Array.from({ length: 20 }, () => unit(next));
  const events: EventRecord[] = [];
  let shared: Float32Array | undefined;
  for (let n = 1; n <= 800; n++) {
    const person = pick(next, people);
    let vector = near(person, next, 0.6);
    if (n % 37 === 0) {
      shared = vector;
    } else if (shared && n % 37 < 4) {
      vector = shared;
    }
    const label = pick(next, ['vip', 'staff', undefined]);
    const similarity = Math.round(next() * 100) / 100;
    events.push(
      makeEvent({
        eventId: id(n),
        accountId: n % 3 === 0 ? B : A,
        createTime: NOW - Math.floor(next() * 7200_000),
        source: pick(next, ['door-1', 'door-2', undefined]),
        tags: next() < 0.3 ? ['t1'] : next() < 0.5 ? ['t2', 't1'] : [],
        userData: pick(next, ['', 'alpha', 'beta gamma']),
        basicAttributes:
          next() < 0.8 ? { age: Math.floor(next() * 80), gender: next() } : undefined,
        liveness:
          next() < 0.7
            ? { prediction: pick(next, ['real', 'spoof'] as const), probability: 0.9 }
            : undefined,
        matches: label
          ? [
              {
                label,
                candidates: [{ objectType: 'face', objectId: id(9000), similarity, details: {} }],
              },
            ]
          : [],
        topMatch: label
          ? { label, objectType: 'face', objectId: id(9000), similarity, details: { big: 'x' } }
          : undefined,
        descriptor: n % 11 === 0 ? undefined : { version: VERSION, vector },
      }),
    );
  }
  return events;
}

const FILTERS: EventFilters[] = [
  {},
  { sources: ['door-1'] },
  { tags: ['t1'] },
  { age__gte: 30, gender: 1 },
  { liveness: ['real'], create_time__gte: 'now-1h' },
  { match: [{ label: 'vip', similarity__gte: 0.4 }] },
  { top_matching_candidates_label: 'staff', user_data: 'gamma' },
  { event_id__lt: id(300), age__lt: 50 },
  { sources: ['door-2'], tags: ['t2'], liveness: ['spoof'] },
  { sources: ['nowhere'] },
];

let temp: TempDb;
const events = makeEvents();

beforeAll(async () => {
  temp = await openTempDb();
  await temp.db.batch(events.flatMap(eventInsertStatements), 'write');
});

afterAll(async () => {
  await temp?.dispose();
});

/** The old answer: the events the SQL filters select, every one scored by float32 dot. */
async function bruteForce(
  scope: string | undefined,
  filters: EventFilters,
  query: Float32Array,
  limit: number,
) {
  const where = filtersToSql(scope, filters, NOW);
  const rs = await temp.db.execute({
    sql: `SELECT e.event_id FROM events e WHERE ${where.sql}`,
    args: where.args,
  });
  const selected = new Set(rs.rows.map((r) => String(r.event_id)));
  return events
    .filter((e) => selected.has(e.eventId) && e.descriptor)
    .map((e) => ({ id: e.eventId, cosine: dot(query, e.descriptor!.vector) }))
    .sort((a, b) => b.cosine - a.cosine || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
}

describe.each<StoragePrecision>(['f32', 'i8'])('event descriptor matrix (%s)', (precision) => {
  it('answers exactly what a float32 scan of the filtered events answers', async () => {
    const matrix = new EventDescriptorMatrix(temp.db, VERSION, { precision, rowsDir: temp.dir });
    expect(await matrix.load()).toBe(events.filter((e) => e.descriptor).length);
    const next = random(11);
    const queries = [
      events[5]!.descriptor!.vector,
      events[36]!.descriptor!.vector, // shared by several events: ties ranked by id
      unit(next),
    ];
    let compared = 0;
    for (const query of queries) {
      for (const scope of [A, B, undefined, '00000000-0000-4000-8000-0000000000cc']) {
        for (const filters of FILTERS) {
          for (const limit of [1, 7, 60]) {
            const found = matrix.search(VERSION, query, {
              scope,
              filters,
              limit,
              minCosine: Number.NEGATIVE_INFINITY,
              now: NOW,
            });
            const expected = await bruteForce(scope, filters, query, limit);
            expect(found).toEqual(expected);
            compared += found.length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    matrix.close();
  });

  it('stops at the threshold and never crosses accounts', () => {
    const matrix = new EventDescriptorMatrix(temp.db, VERSION, { precision, rowsDir: temp.dir });
    return matrix.load().then(() => {
      const query = events[5]!.descriptor!.vector;
      const q = { filters: {}, limit: 1000, minCosine: 0.5, now: NOW };
      const ofB = matrix.search(VERSION, query, { ...q, scope: B });
      const byId = new Map(events.map((e) => [e.eventId, e]));
      expect(ofB.length).toBeGreaterThan(0);
      expect(ofB.every((r) => byId.get(r.id)!.accountId === B && r.cosine >= 0.5)).toBe(true);
      matrix.close();
    });
  });
});

describe('event descriptors kept current', () => {
  let db: TempDb;
  let module: EventsModule;
  const served = { descriptorVersion: VERSION, calibration: calibrationOf(VERSION) };
  const next = random(3);
  const face = unit(next);
  const query = { filters: {}, limit: 10, threshold: 0.5 };

  function open(): EventsModule {
    return createEventsModule({
      db: db.db,
      dataDir: db.dir,
      sampleFiles: createFileStore(`${db.dir}/samples`, '.jpg'),
      attributes: createSqlAttributeStore(db.db),
      gallery: {
        get descriptorVersion() {
          return served.descriptorVersion;
        },
        calibration: served.calibration,
        link: () => undefined,
      },
      matrix: { precision: 'i8', rowsDir: db.dir },
    });
  }

  async function save(m: EventsModule, event: EventRecord): Promise<void> {
    await m.writer.save([
      { event, storeEvent: true, samples: [], origins: [], face: undefined, attribute: undefined },
    ]);
  }

  const found = async (m: EventsModule, scope: string | undefined = A) =>
    (await m.matcher.match(scope, face, query, Date.now())).map((r) => r.event.eventId);

  beforeAll(async () => {
    db = await openTempDb();
    module = open();
    await module.descriptorMatrix.load();
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('finds an event as soon as it is stored', async () => {
    await save(
      module,
      makeEvent({
        eventId: id(1),
        accountId: A,
        createTime: Date.now(),
        descriptor: { version: VERSION, vector: face },
      }),
    );
    expect(await found(module)).toEqual([id(1)]);
    expect(await found(module, B)).toEqual([]);
  });

  it('finds an event once a descriptor of the served version is added to it', async () => {
    await save(module, makeEvent({ eventId: id(2), accountId: A, createTime: Date.now() }));
    await save(module, makeEvent({ eventId: id(3), accountId: A, createTime: Date.now() }));
    expect(await module.descriptors.add(A, id(2), VERSION, near(face, next, 0.1))).toBe(true);
    expect(await module.descriptors.add(A, id(3), OTHER_VERSION, face)).toBe(true);
    expect(await found(module)).toEqual([id(1), id(2)]);
  });

  it('loads the same events again after a restart', async () => {
    const reopened = open();
    expect(await reopened.descriptorMatrix.load()).toBe(2);
    expect(await found(reopened)).toEqual([id(1), id(2)]);
    reopened.descriptorMatrix.close();
  });

  it('follows a switch of the served version', async () => {
    const matrix = module.descriptorMatrix;
    expect(await matrix.prepare(OTHER_VERSION)).toBe(1);
    matrix.promote();
    expect(matrix.version).toBe(OTHER_VERSION);
    // A request still pinned to the old version is told to retry, never answered from nothing.
    const refused = await module.matcher.match(A, face, query, Date.now()).catch((e) => e);
    expect(refused).toMatchObject({ code: 'model_unavailable' });
    served.descriptorVersion = OTHER_VERSION;
    expect(await found(module)).toEqual([id(3)]);
    served.descriptorVersion = VERSION;
    expect(await matrix.prepare(VERSION)).toBe(2);
    matrix.promote();
    expect(await found(module)).toEqual([id(1), id(2)]);
  });

  it('never returns an event once it is removed', async () => {
    const batch = await module.remover.removeEvents(A, {
      filters: { event_id__gte: id(1), event_id__lt: id(2) },
      createTimeLt: Date.now() + 1000,
      now: Date.now(),
      after: undefined,
      limit: 100,
    });
    expect(batch.events).toBe(1);
    expect(await found(module)).toEqual([id(2)]);
    expect(module.descriptorMatrix.size).toBe(1);
  });

  it('forgets the events of an erased account', async () => {
    await save(
      module,
      makeEvent({
        eventId: id(4),
        accountId: B,
        createTime: Date.now(),
        descriptor: { version: VERSION, vector: face },
      }),
    );
    expect(await found(module, B)).toEqual([id(4)]);
    module.descriptorMatrix.forgetAccount(B);
    expect(await found(module, B)).toEqual([]);
    expect(await found(module)).toEqual([id(2)]);
  });
});
