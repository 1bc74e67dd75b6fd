import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/errors/index.ts';
import { EventDescriptorMatrix } from '../../../src/events/event-descriptor-matrix.ts';
import { createEventMatcher } from '../../../src/events/event-matcher.ts';
import { createEventRepository } from '../../../src/events/event-repository.ts';
import { eventInsertStatements } from '../../../src/events/event-rows.ts';
import { calibrationOf } from '../../../src/matcher/index.ts';
import { openTempDb, type TempDb } from '../../helpers/temp-db.ts';
import { axisVector, makeEvent } from './event-fixtures.ts';

const VERSION = 'fr_feature-1';
const SERVED = { descriptorVersion: VERSION, calibration: calibrationOf(VERSION) };
const id = (n: number) => `01900000-0000-7000-8000-00000000000${n}`;

function blend(a: number, b: number, weight: number): Float32Array {
  const v = new Float32Array(512);
  v[a] = Math.sqrt(1 - weight * weight);
  v[b] = weight;
  return v;
}

let temp: TempDb;
let matrix: EventDescriptorMatrix;

beforeAll(async () => {
  temp = await openTempDb();
  const events = [
    makeEvent({
      eventId: id(1),
      source: 'a',
      descriptor: { version: VERSION, vector: axisVector(0) },
    }),
    makeEvent({
      eventId: id(2),
      source: 'b',
      descriptor: { version: VERSION, vector: blend(0, 1, 0.3) },
    }),
    makeEvent({
      eventId: id(3),
      source: 'a',
      descriptor: { version: VERSION, vector: axisVector(1) },
    }),
    makeEvent({ eventId: id(4), source: 'a' }),
  ];
  await temp.db.batch(events.flatMap(eventInsertStatements), 'write');
  matrix = new EventDescriptorMatrix(temp.db, VERSION, { precision: 'f32' });
  await matrix.load();
});

afterAll(async () => {
  matrix?.close();
  await temp?.dispose();
});

describe('event matcher', () => {
  it('finds past events by face under the filters and over the threshold', async () => {
    const matcher = createEventMatcher(createEventRepository(temp.db), SERVED, matrix);
    const all = await matcher.match(
      undefined,
      axisVector(0),
      { filters: {}, limit: 5, threshold: 0 },
      Date.now(),
    );
    expect(all.map((m) => m.event.eventId)).toEqual([id(1), id(2), id(3)]);
    expect(all[0]!.similarity).toBeGreaterThan(0.99);
    const fromA = await matcher.match(
      undefined,
      axisVector(0),
      { filters: { sources: ['a'] }, limit: 5, threshold: 0.5 },
      Date.now(),
    );
    expect(fromA.map((m) => m.event.eventId)).toEqual([id(1)]);
  });

  it('resolves event references, refusing unknown ids and events without one', async () => {
    const matcher = createEventMatcher(createEventRepository(temp.db), SERVED, matrix);
    expect((await matcher.descriptorOf(undefined, id(3)))[1]).toBe(1);
    const codes = [];
    for (const eventId of [id(4), id(8)]) {
      const error = await matcher.descriptorOf(undefined, eventId).catch((e: unknown) => e);
      codes.push((error as AppError).code);
    }
    expect(codes).toEqual(['descriptor_missing', 'not_found']);
  });
});
