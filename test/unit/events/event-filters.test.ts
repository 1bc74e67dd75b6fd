/** The in-memory predicate and the libSQL clause agree on every filter field. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventInsertStatements } from '../../../src/events/event-rows.ts';
import { filtersToSql } from '../../../src/events/filter-sql.ts';
import { type EventFilters, failedFilters, subjectOf } from '../../../src/events/index.ts';
import { openTempDb, type TempDb } from '../../helpers/temp-db.ts';
import { FIXTURE_ACCOUNT, makeEvent } from './event-fixtures.ts';

const T0 = Date.parse('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const H1 = '11111111-1111-4111-8111-111111111111';
const H2 = '22222222-2222-4222-8222-222222222222';
const F1 = 'f1111111-1111-4111-8111-111111111111';
const F3 = 'f3333333-3333-4333-8333-333333333333';
const FACE1 = 'fa111111-1111-4111-8111-111111111111';
const id = (n: number) => `01900000-0000-7000-8000-00000000000${n}`;

const face = (objectId: string, similarity: number) => ({
  objectType: 'face' as const,
  objectId,
  similarity,
  details: {},
});

const EVENTS = [
  makeEvent({
    eventId: id(1),
    handlerId: H1,
    createTime: T0,
    source: 'door-1',
    tags: ['vip'],
    trackId: 't1',
    externalId: 'x1',
    userData: 'morning shift',
    basicAttributes: { age: 30, gender: 0.9 },
    liveness: { prediction: 'real', probability: 0.9 },
    matches: [{ label: 'staff', candidates: [face(F1, 0.8)] }],
    topMatch: { ...face(F1, 0.8), label: 'staff' },
    faceId: FACE1,
  }),
  makeEvent({
    eventId: id(2),
    handlerId: H1,
    createTime: T0 + HOUR,
    source: 'door-2',
    tags: ['vip', 'late'],
    basicAttributes: { age: 45, gender: 0.2 },
    liveness: { prediction: 'spoof', probability: 0.1 },
    matches: [{ label: 'staff', candidates: [face(F3, 0.55)] }],
    topMatch: { ...face(F3, 0.55), label: 'staff' },
  }),
  makeEvent({
    eventId: id(3),
    handlerId: H2,
    createTime: T0 + 2 * HOUR,
    source: 'door-1',
    basicAttributes: { age: 17, gender: 0.4 },
    liveness: { prediction: 'unknown', probability: 0.5 },
    matches: [{ label: 'staff', candidates: [] }],
  }),
  makeEvent({
    eventId: id(4),
    handlerId: H2,
    createTime: T0 + 3 * HOUR,
    matches: [
      {
        label: 'guests',
        candidates: [{ objectType: 'event', objectId: id(9), similarity: 0.7, details: {} }],
      },
    ],
    topMatch: {
      objectType: 'event',
      objectId: id(9),
      similarity: 0.7,
      details: {},
      label: 'guests',
    },
  }),
  makeEvent({
    eventId: id(5),
    handlerId: H1,
    createTime: T0 + 4 * HOUR,
    source: 'door-2',
    userData: 'evening',
    basicAttributes: { age: 60, gender: 0.5 },
    liveness: { prediction: 'real', probability: 0.95 },
    matches: [{ label: 'staff', candidates: [face(F3, 0.3)] }],
    topMatch: { ...face(F3, 0.3), label: 'staff' },
  }),
];

const CASES: [string, Partial<EventFilters>, number[]][] = [
  ['no filter', {}, [1, 2, 3, 4, 5]],
  ['age from', { age__gte: 30 }, [1, 2, 5]],
  ['age below', { age__lt: 30 }, [3]],
  ['age range', { age__gte: 17, age__lt: 45 }, [1, 3]],
  ['male from 0.5', { gender: 1 }, [1, 5]],
  ['female', { gender: 0 }, [2, 3]],
  ['live', { liveness: ['real'] }, [1, 5]],
  ['not live', { liveness: ['spoof', 'unknown'] }, [2, 3]],
  ['matched staff', { match: [{ label: 'staff', similarity__gte: 0.5 }] }, [1, 2]],
  ['unmatched counts as 0', { match: [{ label: 'staff', similarity__lt: 0.5 }] }, [3, 4, 5]],
  ['match range', { match: [{ label: 'staff', similarity__gte: 0.5, similarity__lt: 0.7 }] }, [2]],
  ['handler', { handler_ids: [H2] }, [3, 4]],
  ['time from', { create_time__gte: new Date(T0 + HOUR).toISOString() }, [2, 3, 4, 5]],
  ['time before', { create_time__lt: new Date(T0 + HOUR).toISOString() }, [1]],
  ['relative time', { create_time__gte: 'now-1h' }, [4, 5]],
  ['sources', { sources: ['door-2'] }, [2, 5]],
  ['one tag', { tags: ['late'] }, [2]],
  ['any tag', { tags: ['vip', 'late'] }, [1, 2]],
  ['track', { track_ids: ['t1'] }, [1]],
  ['external id', { external_ids: ['x1'] }, [1]],
  ['user data contains', { user_data: 'shift' }, [1]],
  ['top label', { top_matching_candidates_label: 'guests' }, [4]],
  ['top object', { top_similar_object_ids: [F1] }, [1]],
  ['top similarity from', { top_similar_object_similarity__gte: 0.55 }, [1, 2, 4]],
  ['top similarity below', { top_similar_object_similarity__lt: 0.55 }, [5]],
  ['face', { face_ids: [FACE1] }, [1]],
  ['keyset before', { event_id__lt: id(3) }, [1, 2]],
  ['keyset from', { event_id__gte: id(4) }, [4, 5]],
  ['all together', { handler_ids: [H1], tags: ['vip'], gender: 1 }, [1]],
];

/** Filters are resolved at this moment: between event 4 and event 5 plus half an hour. */
const NOW = T0 + 3.5 * HOUR;

let temp: TempDb;

beforeAll(async () => {
  temp = await openTempDb();
  await temp.db.batch(EVENTS.flatMap(eventInsertStatements), 'write');
});

afterAll(async () => {
  await temp?.dispose();
});

describe('event filters', () => {
  it.each(CASES)('%s: the predicate keeps the expected events', (_, filters, want) => {
    const kept = EVENTS.filter((e) => failedFilters(filters, subjectOf(e), NOW).length === 0);
    expect(kept.map((e) => e.eventId)).toEqual(want.map(id));
  });

  it.each(CASES)('%s: the SQL clause selects the same events', async (_, filters, want) => {
    const where = filtersToSql(FIXTURE_ACCOUNT, filters, NOW);
    const rs = await temp.db.execute({
      sql: `SELECT e.event_id FROM events e WHERE ${where.sql} ORDER BY e.event_id`,
      args: where.args,
    });
    expect(rs.rows.map((r) => String(r.event_id))).toEqual(want.map(id));
  });

  it('reports each failed filter with the value and the limit', () => {
    const reasons = failedFilters(
      { age__gte: 30, liveness: ['real'], match: [{ label: 'staff', similarity__gte: 0.5 }] },
      subjectOf(EVENTS[2]!),
      NOW,
    );
    expect(reasons).toEqual([
      { filter: 'age__gte', value: 17, limit: 30 },
      { filter: 'liveness', value: 'unknown', limit: ['real'] },
      { filter: 'match.staff.similarity__gte', value: 0, limit: 0.5 },
    ]);
  });

  it('fails a filter on a value the event does not have', () => {
    const reasons = failedFilters({ age__lt: 99, gender: 1 }, subjectOf(EVENTS[3]!), NOW);
    expect(reasons).toEqual([
      { filter: 'age__lt', value: null, limit: 99 },
      { filter: 'gender', value: null, limit: 1 },
    ]);
  });

  it('scopes the SQL clause to one account, or none', async () => {
    const other = filtersToSql(crypto.randomUUID(), {}, NOW);
    const every = filtersToSql(undefined, {}, NOW);
    const count = async (w: { sql: string; args: unknown[] }) =>
      (
        await temp.db.execute({
          sql: `SELECT e.event_id FROM events e WHERE ${w.sql}`,
          args: w.args as never,
        })
      ).rows.length;
    expect(await count(other)).toBe(0);
    expect(await count(every)).toBe(EVENTS.length);
  });
});
