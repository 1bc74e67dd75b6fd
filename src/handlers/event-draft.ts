/**
 * From judged faces to event drafts: one event per face, or one per request when attributes
 * are aggregated (mean descriptor, mean age and gender, the most cautious liveness). Pure; the
 * draft gets its matches, tags and storage outcome from the generator.
 */
import type { BasicAttributes } from '../attributes/index.ts';
import { meanDescriptor } from '../descriptors/index.ts';
import type {
  EventDetection,
  EventRecord,
  ExifInfo,
  HeadPose,
  LivenessEstimate,
} from '../events/index.ts';
import type { Detection, FaceCrop } from '../vision/index.ts';

/** A face that goes into an event: judged by the pipeline, or a raw descriptor. */
export interface EventFace {
  /** Index of the uploaded image; undefined for raw descriptors. */
  imageIndex: number | undefined;
  filename: string;
  /** Id the face's sample gets if it is kept. */
  sampleId: string;
  detection?: Detection;
  sourceSize?: { width: number; height: number };
  crop?: FaceCrop;
  headPose?: HeadPose;
  liveness?: LivenessEstimate;
  basic?: BasicAttributes;
  descriptor?: Float32Array;
}

/** What every event of one request carries. */
export interface RequestFacts {
  accountId: string;
  handlerId: string;
  source: string | undefined;
  trackId: string | undefined;
  externalId: string | undefined;
  userData: string;
  meta: Record<string, unknown> | undefined;
  /** EXIF of each uploaded image, when asked for. */
  exif: (ExifInfo | undefined)[];
}

/** The faces of each event: all together when aggregating, else one event per face. */
export function groupFaces(faces: EventFace[], aggregate: boolean): EventFace[][] {
  if (faces.length === 0) {
    return [];
  }
  return aggregate ? [faces] : faces.map((face) => [face]);
}

function meanBasic(faces: EventFace[]): BasicAttributes | undefined {
  const basics = faces.flatMap((f) => (f.basic ? [f.basic] : []));
  if (basics.length === 0) {
    return undefined;
  }
  const mean = (pick: (b: BasicAttributes) => number) =>
    basics.reduce((sum, b) => sum + pick(b), 0) / basics.length;
  return { age: mean((b) => b.age), gender: mean((b) => b.gender) };
}

/** Any spoof makes the aggregate a spoof; it is real only when every face is. */
export function combineLiveness(faces: EventFace[]): LivenessEstimate | undefined {
  const all = faces.flatMap((f) => (f.liveness ? [f.liveness] : []));
  if (all.length === 0) {
    return undefined;
  }
  const probability = Math.min(...all.map((l) => l.probability));
  if (all.some((l) => l.prediction === 'spoof')) {
    return { prediction: 'spoof', probability };
  }
  const real = all.length === faces.length && all.every((l) => l.prediction === 'real');
  return { prediction: real ? 'real' : 'unknown', probability };
}

function meanVector(faces: EventFace[]): Float32Array | undefined {
  const vectors = faces.flatMap((f) => (f.descriptor ? [f.descriptor] : []));
  if (vectors.length === 0) {
    return undefined;
  }
  return vectors.length === 1 ? vectors[0] : meanDescriptor(vectors);
}

function detectionOf(face: EventFace): EventDetection {
  return {
    filename: face.filename,
    sampleId: null,
    imageOriginId: null,
    rect: face.detection?.rect ?? null,
    score: face.detection?.score ?? null,
    headPose: face.headPose,
    liveness: face.liveness,
  };
}

/** A new event for `faces`, not yet matched, tagged or stored. */
export function draftEvent(
  faces: EventFace[],
  facts: RequestFacts,
  descriptorVersion: string,
  now: number,
): EventRecord {
  const vector = meanVector(faces);
  const firstImage = faces.find((f) => f.imageIndex !== undefined)?.imageIndex;
  return {
    eventId: Bun.randomUUIDv7(),
    accountId: facts.accountId,
    createTime: now,
    handlerId: facts.handlerId,
    source: facts.source,
    trackId: facts.trackId,
    externalId: facts.externalId,
    userData: facts.userData,
    tags: [],
    meta: facts.meta,
    detections: faces.map(detectionOf),
    basicAttributes: meanBasic(faces),
    liveness: combineLiveness(faces),
    descriptor: vector ? { version: descriptorVersion, vector } : undefined,
    matches: [],
    topMatch: undefined,
    faceId: undefined,
    listIds: [],
    attributeId: undefined,
    exif: firstImage === undefined ? undefined : facts.exif[firstImage],
  };
}
