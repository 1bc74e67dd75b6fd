/**
 * The storage policy's decision for one event: which parts to keep (sample, photo, temporary
 * attribute, face with its lists, event row) and, for every part a filter refused, the
 * reasons. Pure; a part that is switched off is simply not kept and not reported.
 */
import { type FilterReason, type FilterSubject, failedFilters } from '../events/index.ts';
import type { StoragePolicy } from './policy-schema.ts';

/** One part the filters refused, and why. */
export interface SkippedPart {
  policy: string;
  reasons: FilterReason[];
}

/** What to keep of one event. */
export interface StoragePlan {
  sample: boolean;
  origin: boolean;
  /** Present when a temporary attribute is kept; `ttl` in seconds when the policy sets one. */
  attribute: { ttl: number | undefined } | undefined;
  /** Present when a face is made; `listIds` are the lists whose filters passed. */
  face: { avatar: boolean; listIds: string[] } | undefined;
  event: boolean;
  skipped: SkippedPart[];
}

interface Gate {
  policy: string;
  on: boolean;
  filters: StoragePolicy['event_policy']['filters'];
}

function gateOpen(gate: Gate, subject: FilterSubject, now: number, skipped: SkippedPart[]) {
  if (!gate.on) {
    return false;
  }
  const reasons = failedFilters(gate.filters, subject, now);
  if (reasons.length > 0) {
    skipped.push({ policy: gate.policy, reasons });
  }
  return reasons.length === 0;
}

function linkedLists(
  p: StoragePolicy,
  subject: FilterSubject,
  now: number,
  skipped: SkippedPart[],
) {
  return p.face_policy.link_to_lists_policy
    .filter((link, i) =>
      gateOpen(
        { policy: `face_policy.link_to_lists_policy.${i}`, on: true, filters: link.filters },
        subject,
        now,
        skipped,
      ),
    )
    .map((link) => link.list_id);
}

/** Decides what of the event described by `subject` the policy keeps at `now`. */
export function planStorage(p: StoragePolicy, subject: FilterSubject, now: number): StoragePlan {
  const skipped: SkippedPart[] = [];
  const open = (policy: string, on: boolean, filters: Gate['filters']) =>
    gateOpen({ policy, on, filters }, subject, now, skipped);
  const sample = open(
    'face_sample_policy',
    p.face_sample_policy.store_sample,
    p.face_sample_policy.filters,
  );
  const origin = open(
    'image_origin_policy',
    p.image_origin_policy.store_image,
    p.image_origin_policy.filters,
  );
  const attribute = open(
    'attribute_policy',
    p.attribute_policy.store_attribute,
    p.attribute_policy.filters,
  );
  const face = open('face_policy', p.face_policy.store_face, p.face_policy.filters);
  const event = open('event_policy', p.event_policy.store_event, p.event_policy.filters);
  return {
    sample,
    origin,
    attribute: attribute ? { ttl: p.attribute_policy.ttl } : undefined,
    face: face
      ? {
          avatar: p.face_policy.set_sample_as_avatar,
          listIds: linkedLists(p, subject, now, skipped),
        }
      : undefined,
    event,
    skipped,
  };
}
