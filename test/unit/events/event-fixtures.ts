/** Events for unit tests of filters, statistics and the writer. */
import type { EventRecord } from '../../../src/events/index.ts';

const ACCOUNT = '00000000-0000-4000-8000-0000000000aa';

/** A unit descriptor pointing along axis `axis` (cosine 1 to itself, 0 to other axes). */
export function axisVector(axis: number): Float32Array {
  const v = new Float32Array(512);
  v[axis] = 1;
  return v;
}

/** An event with sensible defaults and `patch` applied. */
export function makeEvent(patch: Partial<EventRecord> & { eventId: string }): EventRecord {
  return {
    accountId: ACCOUNT,
    createTime: Date.parse('2026-03-10T12:00:00Z'),
    handlerId: undefined,
    source: undefined,
    trackId: undefined,
    externalId: undefined,
    userData: '',
    tags: [],
    meta: undefined,
    detections: [],
    basicAttributes: undefined,
    liveness: undefined,
    descriptor: undefined,
    matches: [],
    topMatch: undefined,
    faceId: undefined,
    listIds: [],
    attributeId: undefined,
    exif: undefined,
    ...patch,
  };
}

/** The account every fixture event belongs to. */
export const FIXTURE_ACCOUNT = ACCOUNT;
