/**
 * The libSQL form of an event: the INSERT statements of one event (row, tags, best match per
 * label, descriptor) and the way back from a row. Pure; the writer runs the statements.
 */
import type { InStatement } from '@libsql/client';
import { encodeDescriptor } from '../descriptors/index.ts';
import type { EventRecord } from './event-record.ts';

/** The JSON body column: every part of an event that no filter reads. */
type StoredBody = Pick<
  EventRecord,
  | 'meta'
  | 'detections'
  | 'basicAttributes'
  | 'liveness'
  | 'matches'
  | 'topMatch'
  | 'listIds'
  | 'attributeId'
  | 'exif'
> & { descriptorVersion: string | undefined };

function bodyOf(e: EventRecord): string {
  const body: StoredBody = {
    meta: e.meta,
    detections: e.detections,
    basicAttributes: e.basicAttributes,
    liveness: e.liveness,
    matches: e.matches,
    topMatch: e.topMatch,
    listIds: e.listIds,
    attributeId: e.attributeId,
    exif: e.exif,
    descriptorVersion: e.descriptor?.version,
  };
  return JSON.stringify(body);
}

function eventRow(e: EventRecord): InStatement {
  return {
    sql: `INSERT INTO events (event_id, account_id, create_time, handler_id, source, track_id,
      external_id, user_data, age, gender, liveness, top_match_label, top_match_object_id,
      top_match_similarity, face_id, body) VALUES (${Array(16).fill('?').join(', ')})`,
    args: [
      e.eventId,
      e.accountId,
      e.createTime,
      e.handlerId ?? null,
      e.source ?? null,
      e.trackId ?? null,
      e.externalId ?? null,
      e.userData,
      e.basicAttributes?.age ?? null,
      e.basicAttributes?.gender ?? null,
      e.liveness?.prediction ?? null,
      e.topMatch?.label ?? null,
      e.topMatch?.objectId ?? null,
      e.topMatch?.similarity ?? null,
      e.faceId ?? null,
      bodyOf(e),
    ],
  };
}

function labelRows(e: EventRecord): InStatement[] {
  return e.matches.flatMap(({ label, candidates }) => {
    const best = candidates[0];
    return best
      ? [
          {
            sql: 'INSERT INTO event_match_labels VALUES (?, ?, ?, ?, ?)',
            args: [e.eventId, e.accountId, label, best.objectId, best.similarity],
          },
        ]
      : [];
  });
}

/** The statements that insert `event` with its tags, best matches and descriptor. */
export function eventInsertStatements(event: EventRecord): InStatement[] {
  const tags = [...new Set(event.tags)].map((tag) => ({
    sql: 'INSERT INTO event_tags VALUES (?, ?, ?)',
    args: [event.eventId, event.accountId, tag],
  }));
  const descriptor = event.descriptor
    ? [
        {
          sql: 'INSERT INTO event_descriptors VALUES (?, ?, ?, ?)',
          args: [
            event.eventId,
            event.accountId,
            event.descriptor.version,
            encodeDescriptor(event.descriptor.vector),
          ],
        },
      ]
    : [];
  return [eventRow(event), ...tags, ...labelRows(event), ...descriptor];
}

const optional = (value: unknown) => (value === null ? undefined : String(value));

/**
 * Rebuilds an event from a row of `events` joined with `tags` (a JSON array). The descriptor
 * vector is not loaded; `descriptor.vector` is empty when the event has one.
 */
export function eventFromRow(row: Record<string, unknown>): EventRecord {
  const body = JSON.parse(String(row.body)) as StoredBody;
  return {
    ...body,
    eventId: String(row.event_id),
    accountId: String(row.account_id),
    createTime: Number(row.create_time),
    handlerId: optional(row.handler_id),
    source: optional(row.source),
    trackId: optional(row.track_id),
    externalId: optional(row.external_id),
    userData: String(row.user_data),
    tags: JSON.parse(String(row.tags ?? '[]')) as string[],
    faceId: optional(row.face_id),
    descriptor: body.descriptorVersion
      ? { version: body.descriptorVersion, vector: new Float32Array(0) }
      : undefined,
  };
}

/** SELECT list of an event row with its tags, for `eventFromRow`. */
export const EVENT_COLUMNS = `e.*, (SELECT json_group_array(tag) FROM event_tags t
  WHERE t.event_id = e.event_id) AS tags`;
