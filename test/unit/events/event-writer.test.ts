/** One request's events are stored whole or not at all. */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlAttributeStore } from '../../../src/attributes/index.ts';
import { AppError } from '../../../src/errors/index.ts';
import { createEventWriter } from '../../../src/events/event-writer.ts';
import type { EventBundle, EventRecord, EventSaveHook } from '../../../src/events/index.ts';
import { createFileStore } from '../../../src/images/index.ts';
import { openTempDb, type TempDb } from '../../helpers/temp-db.ts';
import { axisVector, FIXTURE_ACCOUNT, makeEvent } from './event-fixtures.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const TABLES = [
  'events',
  'event_tags',
  'event_descriptors',
  'faces',
  'list_faces',
  'samples',
  'origin_images',
  'attributes',
];

let temp: TempDb;
let listId: string;

function bundle(): EventBundle {
  const sampleId = crypto.randomUUID();
  const faceId = crypto.randomUUID();
  const descriptor = { version: 'v1', vector: axisVector(3) };
  const event = makeEvent({
    eventId: Bun.randomUUIDv7(),
    tags: ['vip'],
    descriptor,
    faceId,
    listIds: [listId],
  });
  const detection = { rect: { x: 1, y: 2, width: 30, height: 30 }, score: 0.9, landmarks5: [] };
  return {
    event,
    storeEvent: true,
    samples: [
      {
        row: {
          sampleId,
          accountId: FIXTURE_ACCOUNT,
          createTime: NOW,
          sourceWidth: 64,
          sourceHeight: 64,
          detection,
        },
        jpeg: new Uint8Array([0xff, 0xd8, 1, 2]),
      },
    ],
    origins: [
      {
        imageId: crypto.randomUUID(),
        accountId: FIXTURE_ACCOUNT,
        createTime: NOW,
        contentType: 'image/jpeg',
        bytes: new Uint8Array([9]),
      },
    ],
    face: {
      faceId,
      accountId: FIXTURE_ACCOUNT,
      createTime: NOW,
      userData: '',
      externalId: undefined,
      basicAttributes: undefined,
      sampleIds: [sampleId],
      listIds: [listId],
      descriptor,
    },
    attribute: {
      attributeId: crypto.randomUUID(),
      accountId: FIXTURE_ACCOUNT,
      createTime: NOW,
      expireTime: Date.now() + 60_000,
      descriptor: descriptor.vector,
      descriptorVersion: 'v1',
      basicAttributes: undefined,
      sampleIds: [sampleId],
    },
  };
}

function setup(hooks: EventSaveHook[]) {
  const links: string[] = [];
  const sampleFiles = createFileStore(path.join(temp.dir, 'samples'), '.jpg');
  const originFiles = createFileStore(path.join(temp.dir, 'origins'), '.img');
  const writer = createEventWriter({
    db: temp.db,
    sampleFiles,
    originFiles,
    attributes: createSqlAttributeStore(temp.db),
    gallery: {
      descriptorVersion: 'v1',
      calibration: { centre: 0.3, slope: 25 },
      // Like the gallery, which holds v1 only and ignores other versions.
      link: (list, face, _descriptor, version) => version === 'v1' && links.push(`${list}/${face}`),
    },
    hooks,
  });
  return { writer, links, sampleFiles, originFiles };
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    out[table] = Number((await temp.db.execute(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n);
  }
  return out;
}

beforeEach(async () => {
  temp = await openTempDb();
  listId = crypto.randomUUID();
  await temp.db.execute({
    sql: 'INSERT INTO lists VALUES (?, ?, ?, ?, ?)',
    args: [listId, FIXTURE_ACCOUNT, NOW, NOW, ''],
  });
  await temp.db.execute('CREATE TABLE outbox_probe (event_id TEXT NOT NULL)');
});

afterEach(async () => {
  await temp?.dispose();
});

describe('event writer', () => {
  it('stores events, faces, links, samples, photos and hook rows together', async () => {
    const committed: EventRecord[] = [];
    const hook: EventSaveHook = {
      statements: (events) =>
        events.map((e) => ({ sql: 'INSERT INTO outbox_probe VALUES (?)', args: [e.eventId] })),
      committed: (events) => committed.push(...events),
    };
    const { writer, links, sampleFiles, originFiles } = setup([hook]);
    const bundles = [bundle(), bundle()];
    await writer.save(bundles);
    expect(await counts()).toEqual({
      events: 2,
      event_tags: 2,
      event_descriptors: 2,
      faces: 2,
      list_faces: 2,
      samples: 2,
      origin_images: 2,
      attributes: 2,
    });
    expect(
      Number((await temp.db.execute('SELECT COUNT(*) AS n FROM outbox_probe')).rows[0]!.n),
    ).toBe(2);
    expect(committed.map((e) => e.eventId)).toEqual(bundles.map((b) => b.event.eventId));
    expect(links).toEqual(bundles.map((b) => `${listId}/${b.face!.faceId}`));
    expect(await sampleFiles.read(bundles[0]!.samples[0]!.row.sampleId)).toBeDefined();
    expect(await originFiles.read(bundles[1]!.origins[0]!.imageId)).toBeDefined();
  });

  it.each([
    ['a hook statement fails', () => [{ sql: 'INSERT INTO no_such_table VALUES (1)', args: [] }]],
    [
      'the last statement breaks a constraint',
      () => [{ sql: 'INSERT INTO outbox_probe VALUES (NULL)', args: [] }],
    ],
  ])('leaves nothing behind when %s', async (_, statements) => {
    const committed: EventRecord[] = [];
    const { writer, links, sampleFiles, originFiles } = setup([
      { statements, committed: (events) => committed.push(...events) },
    ]);
    const b = bundle();
    await expect(writer.save([bundle(), b])).rejects.toThrow();
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
    expect(await sampleFiles.read(b.samples[0]!.row.sampleId)).toBeUndefined();
    expect(await originFiles.read(b.origins[0]!.imageId)).toBeUndefined();
    expect(links).toEqual([]);
    expect(committed).toEqual([]);
  });

  it('answers not_found when a linked list is gone, storing nothing', async () => {
    const { writer } = setup([]);
    await temp.db.execute({ sql: 'DELETE FROM lists WHERE list_id = ?', args: [listId] });
    const error = await writer.save([bundle()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('not_found');
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
  });

  it('keeps the parts of an event whose row the policy refused', async () => {
    const { writer } = setup([]);
    await writer.save([{ ...bundle(), storeEvent: false }]);
    expect(await counts()).toMatchObject({
      events: 0,
      event_tags: 0,
      faces: 1,
      list_faces: 1,
      samples: 1,
    });
  });
});
