/**
 * Saving what one event-generation request produced, atomically: sample and photo files are
 * written first, temporary attributes put next, then every row (samples, faces, descriptors,
 * list links, events, tags, hook rows such as a future outbox) goes into libSQL in one batch,
 * which is one transaction. If anything fails, the files and attributes are removed again and
 * no row exists, so no partial event, face or link is ever visible.
 */
import type { InStatement } from '@libsql/client';
import type { AttributeRecord, AttributeStore } from '../attributes/index.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../errors/index.ts';
import {
  descriptorsOf,
  type FaceDescriptor,
  faceInsertStatements,
  type NewFace,
} from '../faces/index.ts';
import type { FileStore } from '../images/index.ts';
import type { Calibration } from '../matcher/index.ts';
import { type SampleRow, sampleInsertStatements } from '../samples/index.ts';
import type { EventRecord } from './event-record.ts';
import { eventInsertStatements } from './event-rows.ts';

/** A sample kept with an event: its row and its JPEG. */
export interface SampleToStore {
  row: SampleRow;
  jpeg: Uint8Array;
}

/** A whole photo kept by `image_origin_policy`. */
export interface OriginToStore {
  imageId: string;
  accountId: string;
  createTime: number;
  contentType: string;
  bytes: Uint8Array;
}

/** Everything one event stores; parts the policies refused are absent. */
export interface EventBundle {
  event: EventRecord;
  /** False when the event row itself is not kept, though its face or samples may be. */
  storeEvent: boolean;
  samples: SampleToStore[];
  origins: OriginToStore[];
  face: NewFace | undefined;
  attribute: AttributeRecord | undefined;
}

/**
 * A module that rides along with saved events: `statements` join the same transaction (the
 * sender's outbox rows), `committed` runs once the transaction has committed.
 */
export interface EventSaveHook {
  statements?(events: EventRecord[]): InStatement[];
  committed?(events: EventRecord[]): void;
}

/** The in-memory gallery that mirrors committed list links. */
export interface GalleryLinker {
  /** The version matching serves, with its calibration (search by face over events). */
  readonly descriptorVersion: string;
  readonly calibration: Calibration;
  /** Links a descriptor of `version`; versions the gallery does not hold are ignored. */
  link(listId: string, faceId: string, descriptor: Float32Array, version: string): void;
}

/** What the writer touches. */
export interface EventWriterDeps {
  db: Database;
  sampleFiles: FileStore;
  originFiles: FileStore;
  attributes: AttributeStore;
  gallery: GalleryLinker;
  hooks: EventSaveHook[];
  /** Descriptors of the other versions the box keeps, from stored samples (see faces). */
  describeMore?: (sampleIds: string[], have: string[]) => Promise<FaceDescriptor[]>;
}

/** Saves the bundles of one request. */
export interface EventWriter {
  save(bundles: EventBundle[]): Promise<void>;
}

function originStatement(o: OriginToStore): InStatement {
  return {
    sql: 'INSERT INTO origin_images VALUES (?, ?, ?, ?)',
    args: [o.imageId, o.accountId, o.createTime, o.contentType],
  };
}

function statementsOf(bundles: EventBundle[], hooks: EventSaveHook[]): InStatement[] {
  const stored = bundles.filter((b) => b.storeEvent).map((b) => b.event);
  return [
    ...bundles.flatMap((b) => b.origins.map(originStatement)),
    ...sampleInsertStatements(bundles.flatMap((b) => b.samples.map((s) => s.row))),
    ...bundles.flatMap((b) => (b.face ? faceInsertStatements(b.face) : [])),
    ...stored.flatMap(eventInsertStatements),
    ...hooks.flatMap((hook) => hook.statements?.(stored) ?? []),
  ];
}

/** The only foreign keys these rows carry point at lists, so a failure means one was deleted. */
function storageError(err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT_FOREIGNKEY')) {
    return new AppError('not_found', 'a list the face policy links to was deleted; nothing stored');
  }
  return err;
}

/** Creates the event writer. */
export function createEventWriter(deps: EventWriterDeps): EventWriter {
  const { db, sampleFiles, originFiles, attributes, gallery, hooks } = deps;

  async function writeOutside(bundles: EventBundle[]): Promise<void> {
    await Promise.all(
      bundles.flatMap((b) => [
        ...b.samples.map((s) => sampleFiles.write(s.row.sampleId, s.jpeg)),
        ...b.origins.map((o) => originFiles.write(o.imageId, o.bytes)),
      ]),
    );
    for (const b of bundles) {
      if (b.attribute) {
        await attributes.put(b.attribute);
      }
    }
  }

  async function undoOutside(bundles: EventBundle[]): Promise<void> {
    await Promise.allSettled(
      bundles.flatMap((b) => [
        ...b.samples.map((s) => sampleFiles.remove(s.row.sampleId)),
        ...b.origins.map((o) => originFiles.remove(o.imageId)),
        ...(b.attribute ? [attributes.remove(b.attribute.accountId, b.attribute.attributeId)] : []),
      ]),
    );
  }

  /** New faces get descriptors of every version the box keeps, from the event's samples. */
  async function describeFaces(bundles: EventBundle[]): Promise<void> {
    for (const b of bundles) {
      if (b.face && deps.describeMore) {
        const have = b.face.descriptor ? [b.face.descriptor.version] : [];
        const sampleIds = b.samples.map((s) => s.row.sampleId);
        b.face.moreDescriptors = await deps.describeMore(sampleIds, have);
      }
    }
  }

  function mirrorFaces(bundles: EventBundle[]): void {
    for (const { face } of bundles) {
      for (const d of face ? descriptorsOf(face) : []) {
        for (const listId of face!.listIds) {
          gallery.link(listId, face!.faceId, d.vector, d.version);
        }
      }
    }
  }

  return {
    async save(bundles) {
      try {
        await writeOutside(bundles);
        await describeFaces(bundles);
        await db.batch(statementsOf(bundles, hooks), 'write');
      } catch (err) {
        await undoOutside(bundles);
        throw storageError(err);
      }
      mirrorFaces(bundles);
      const stored = bundles.filter((b) => b.storeEvent).map((b) => b.event);
      for (const hook of hooks) {
        hook.committed?.(stored);
      }
    },
  };
}
