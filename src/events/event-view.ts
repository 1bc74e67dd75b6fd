/** The API view of events and of matched candidates; numbers rounded as in the other views. */
import { basicView } from '../attributes/index.ts';
import { isoTime, roundTo } from '../http/index.ts';
import type { Rect } from '../vision/index.ts';
import type {
  EventDetection,
  EventRecord,
  HeadPose,
  LivenessEstimate,
  MatchCandidate,
  TopMatch,
} from './event-record.ts';

const similarityView = (s: number) => roundTo(s, 6);

/** The API view of a face box, to 0.01 px. */
export function rectView(r: Rect | null) {
  return (
    r && {
      x: roundTo(r.x, 2),
      y: roundTo(r.y, 2),
      width: roundTo(r.width, 2),
      height: roundTo(r.height, 2),
    }
  );
}

function poseView(p: HeadPose | undefined) {
  return p
    ? { yaw: roundTo(p.yaw, 1), pitch: roundTo(p.pitch, 1), roll: roundTo(p.roll, 1) }
    : null;
}

function livenessView(l: LivenessEstimate | undefined) {
  return l ? { prediction: l.prediction, probability: roundTo(l.probability, 4) } : null;
}

/** The API view of one candidate: `{face:{…}}` or `{event:{…}}` plus its similarity. */
export function candidateView(c: MatchCandidate) {
  const key = c.objectType === 'face' ? 'face' : 'event';
  const idKey = c.objectType === 'face' ? 'face_id' : 'event_id';
  return { [key]: { [idKey]: c.objectId, ...c.details }, similarity: similarityView(c.similarity) };
}

function topMatchView(top: TopMatch | undefined) {
  if (!top) {
    return null;
  }
  const idKey = top.objectType === 'face' ? 'face_id' : 'event_id';
  return { label: top.label, [idKey]: top.objectId, similarity: similarityView(top.similarity) };
}

function detectionView(d: EventDetection) {
  return {
    filename: d.filename,
    sample_id: d.sampleId,
    image_origin: d.imageOriginId ? `/6/events/origins/${d.imageOriginId}` : null,
    rect: rectView(d.rect),
    score: d.score === null ? null : roundTo(d.score, 4),
    head_pose: poseView(d.headPose),
    liveness: livenessView(d.liveness),
  };
}

/** The API view of an event. */
export function eventView(e: EventRecord) {
  return {
    event_id: e.eventId,
    url: `/6/events/${e.eventId}`,
    create_time: isoTime(e.createTime),
    handler_id: e.handlerId ?? null,
    source: e.source ?? null,
    track_id: e.trackId ?? null,
    external_id: e.externalId ?? null,
    user_data: e.userData,
    tags: e.tags,
    meta: e.meta ?? null,
    detections: e.detections.map(detectionView),
    attributes: {
      basic_attributes: basicView(e.basicAttributes),
      liveness: livenessView(e.liveness),
      descriptor: e.descriptor ? { version: e.descriptor.version } : null,
    },
    matches: e.matches.map((m) => ({
      label: m.label,
      candidates: m.candidates.map(candidateView),
    })),
    top_match: topMatchView(e.topMatch),
    face_id: e.faceId ?? null,
    lists: e.listIds,
    attribute_id: e.attributeId ?? null,
    exif: e.exif
      ? {
          make: e.exif.make ?? null,
          model: e.exif.model ?? null,
          date_time_original: e.exif.dateTimeOriginal ?? null,
        }
      : null,
  };
}

/** What a match result shows of a past event besides its id. */
export function eventCandidateDetails(e: EventRecord): Record<string, unknown> {
  return {
    create_time: isoTime(e.createTime),
    handler_id: e.handlerId ?? null,
    source: e.source ?? null,
    track_id: e.trackId ?? null,
    external_id: e.externalId ?? null,
    face_id: e.faceId ?? null,
  };
}
