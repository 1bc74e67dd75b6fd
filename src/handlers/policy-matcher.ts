/**
 * The match policy at work: each labelled entry matches one descriptor against its candidates,
 * faces of a list or given face ids through the matcher, or past events through the event
 * matcher (relative times resolved now), and yields the candidates over its threshold.
 */
import {
  type EventMatcher,
  eventCandidateDetails,
  type LabelMatches,
  type MatchCandidate,
} from '../events/index.ts';
import type { MatchService } from '../matcher/index.ts';
import type { MatchEntry } from './policy-schema.ts';

/** Matches a descriptor under every entry of a match policy. */
export interface PolicyMatcher {
  match(
    scope: string | undefined,
    descriptor: Float32Array,
    entries: MatchEntry[],
    now: number,
  ): Promise<LabelMatches[]>;
}

/** Creates the policy matcher over the face matcher and the event matcher. */
export function createPolicyMatcher(faces: MatchService, events: EventMatcher): PolicyMatcher {
  async function matchEntry(
    scope: string | undefined,
    descriptor: Float32Array,
    entry: MatchEntry,
    now: number,
  ): Promise<MatchCandidate[]> {
    const { candidates, limit, threshold } = entry;
    if (candidates.origin === 'events') {
      const { origin: _, ...filters } = candidates;
      const found = await events.match(scope, descriptor, { filters, limit, threshold }, now);
      return found.map((m) => ({
        objectType: 'event',
        objectId: m.event.eventId,
        similarity: m.similarity,
        details: eventCandidateDetails(m.event),
      }));
    }
    const set = { listId: candidates.list_id, faceIds: candidates.face_ids, limit, threshold };
    const [found = []] = await faces.match(scope, descriptor, [set]);
    return found.map((m) => ({
      objectType: 'face',
      objectId: m.face.faceId,
      similarity: m.similarity,
      details: { external_id: m.face.externalId ?? null, user_data: m.face.userData },
    }));
  }

  return {
    async match(scope, descriptor, entries, now) {
      const out: LabelMatches[] = [];
      for (const entry of entries) {
        out.push({
          label: entry.label,
          candidates: await matchEntry(scope, descriptor, entry, now),
        });
      }
      return out;
    },
  };
}
