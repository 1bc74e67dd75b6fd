/**
 * What one event stores, as the storage plan decided: sample rows and JPEGs, kept photos, a
 * temporary attribute, a face with its lists, and the event with its ids filled in.
 */
import type { AttributeRecord } from '../attributes/index.ts';
import type { EventBundle, EventRecord, OriginToStore, SampleToStore } from '../events/index.ts';
import type { NewFace } from '../faces/index.ts';
import type { FaceCrop } from '../vision/index.ts';
import type { EventFace } from './event-draft.ts';
import type { StoragePlan } from './storage-plan.ts';

/** An uploaded photo as the origin policy keeps it. */
export interface UploadedPhoto {
  bytes: Uint8Array;
  contentType: string;
}

/** What building bundles needs besides the event. */
export interface BundleContext {
  photos: UploadedPhoto[];
  encodeCrop(crop: FaceCrop): Promise<Uint8Array>;
  defaultTtlSeconds: number;
  now: number;
}

async function samplesOf(event: EventRecord, faces: EventFace[], ctx: BundleContext) {
  const samples: SampleToStore[] = [];
  for (const face of faces) {
    if (!face.crop || !face.detection || !face.sourceSize) {
      continue;
    }
    samples.push({
      row: {
        sampleId: face.sampleId,
        accountId: event.accountId,
        createTime: ctx.now,
        sourceWidth: face.sourceSize.width,
        sourceHeight: face.sourceSize.height,
        detection: face.detection,
      },
      jpeg: await ctx.encodeCrop(face.crop),
    });
  }
  return samples;
}

function originsOf(event: EventRecord, faces: EventFace[], ctx: BundleContext) {
  const indices = [
    ...new Set(faces.flatMap((f) => (f.imageIndex === undefined ? [] : [f.imageIndex]))),
  ];
  return new Map<number, OriginToStore>(
    indices.map((i) => [
      i,
      {
        imageId: crypto.randomUUID(),
        accountId: event.accountId,
        createTime: ctx.now,
        contentType: ctx.photos[i]!.contentType,
        bytes: ctx.photos[i]!.bytes,
      },
    ]),
  );
}

function attributeOf(event: EventRecord, sampleIds: string[], ttl: number, now: number) {
  const record: AttributeRecord = {
    attributeId: crypto.randomUUID(),
    accountId: event.accountId,
    createTime: now,
    expireTime: now + ttl * 1000,
    descriptor: event.descriptor?.vector,
    descriptorVersion: event.descriptor?.version,
    basicAttributes: event.basicAttributes,
    sampleIds,
  };
  return record;
}

function faceOf(event: EventRecord, plan: NonNullable<StoragePlan['face']>, sampleIds: string[]) {
  const face: NewFace = {
    faceId: crypto.randomUUID(),
    accountId: event.accountId,
    createTime: event.createTime,
    userData: event.userData,
    externalId: event.externalId,
    basicAttributes: event.basicAttributes,
    sampleIds: plan.avatar ? sampleIds : [],
    listIds: plan.listIds,
    descriptor: event.descriptor,
  };
  return face;
}

/** The bundle of `draft` under `plan`; the returned event carries the ids of what is kept. */
export async function bundleEvent(
  draft: EventRecord,
  faces: EventFace[],
  plan: StoragePlan,
  ctx: BundleContext,
): Promise<EventBundle> {
  const samples = plan.sample ? await samplesOf(draft, faces, ctx) : [];
  const sampleIds = samples.map((s) => s.row.sampleId);
  const origins = plan.origin ? originsOf(draft, faces, ctx) : new Map<number, OriginToStore>();
  const ttl = plan.attribute?.ttl ?? ctx.defaultTtlSeconds;
  const attribute = plan.attribute ? attributeOf(draft, sampleIds, ttl, ctx.now) : undefined;
  const face = plan.face ? faceOf(draft, plan.face, sampleIds) : undefined;
  const detections = draft.detections.map((d, i) => ({
    ...d,
    sampleId: sampleIds.includes(faces[i]!.sampleId) ? faces[i]!.sampleId : null,
    imageOriginId: origins.get(faces[i]!.imageIndex ?? -1)?.imageId ?? null,
  }));
  const event: EventRecord = {
    ...draft,
    detections,
    faceId: face?.faceId,
    listIds: face?.listIds ?? [],
    attributeId: attribute?.attributeId,
  };
  return {
    event,
    storeEvent: plan.event,
    samples,
    origins: [...origins.values()],
    face,
    attribute,
  };
}
