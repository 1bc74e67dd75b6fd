import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventRepository } from '../../../src/events/event-repository.ts';
import { eventInsertStatements } from '../../../src/events/event-rows.ts';
import { STATISTICS_SPEC } from '../../../src/events/statistics.ts';
import { openTempDb, type TempDb } from '../../helpers/temp-db.ts';
import { makeEvent } from './event-fixtures.ts';

const T0 = Date.parse('2026-03-10T12:00:00Z');
const MIN = 60_000;
const id = (n: number) => `01900000-0000-7000-8000-00000000000${n}`;

const EVENTS = [
  makeEvent({
    eventId: id(1),
    createTime: T0,
    tags: ['vip'],
    basicAttributes: { age: 20, gender: 0.9 },
  }),
  makeEvent({
    eventId: id(2),
    createTime: T0 + 10 * MIN,
    tags: ['vip', 'late'],
    basicAttributes: { age: 40, gender: 0.1 },
  }),
  makeEvent({
    eventId: id(3),
    createTime: T0 + 70 * MIN,
    basicAttributes: { age: 60, gender: 0.8 },
  }),
  makeEvent({ eventId: id(4), createTime: T0 + 25 * 60 * MIN }),
];

let temp: TempDb;

beforeAll(async () => {
  temp = await openTempDb();
  await temp.db.batch(EVENTS.flatMap(eventInsertStatements), 'write');
});

afterAll(async () => {
  await temp?.dispose();
});

async function stats(spec: unknown, filters = {}) {
  const repo = createEventRepository(temp.db);
  return repo.statistics(undefined, filters, STATISTICS_SPEC.parse(spec), T0);
}

const AGE = { targets: [{ field: 'age' }] };

describe('event statistics', () => {
  it.each<[string, unknown, unknown[]]>([
    ['no grouping', AGE, [{ group: null, count: 4, age: { min: 20, max: 60, avg: 40 } }]],
    [
      'by hour',
      { ...AGE, group_by: 'hour' },
      [
        {
          group: { hour: '2026-03-10T12:00:00.000Z' },
          count: 2,
          age: { min: 20, max: 40, avg: 30 },
        },
        {
          group: { hour: '2026-03-10T13:00:00.000Z' },
          count: 1,
          age: { min: 60, max: 60, avg: 60 },
        },
        {
          group: { hour: '2026-03-11T13:00:00.000Z' },
          count: 1,
          age: { min: null, max: null, avg: null },
        },
      ],
    ],
    [
      'by day, count only',
      { group_by: 'day' },
      [
        { group: { day: '2026-03-10T00:00:00.000Z' }, count: 3 },
        { group: { day: '2026-03-11T00:00:00.000Z' }, count: 1 },
      ],
    ],
    [
      'by tag',
      { targets: [{ field: 'age', functions: ['avg'] }], group_by: 'tag' },
      [
        { group: { tag: 'late' }, count: 1, age: { avg: 40 } },
        { group: { tag: 'vip' }, count: 2, age: { avg: 30 } },
      ],
    ],
    [
      'by gender class',
      { targets: [{ field: 'gender', functions: ['max'] }], group_by: 'gender' },
      [
        { group: { gender: null }, count: 1, gender: { max: null } },
        { group: { gender: 0 }, count: 1, gender: { max: 0.1 } },
        { group: { gender: 1 }, count: 2, gender: { max: 0.9 } },
      ],
    ],
  ])('aggregates %s', async (_, spec, want) => {
    expect(await stats(spec)).toEqual(want);
  });

  it('aggregates only the events the filters select', async () => {
    expect(await stats(AGE, { tags: ['vip'], age__gte: 30 })).toEqual([
      { group: null, count: 1, age: { min: 40, max: 40, avg: 40 } },
    ]);
  });
});
