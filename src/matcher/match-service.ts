/**
 * 1:N matching: each reference descriptor against each candidate set (a list from the
 * in-memory gallery, or explicit face ids from libSQL), scored as calibrated similarity.
 */
import { dot } from '../descriptors/index.ts';
import { notFound } from '../errors/index.ts';
import type { FaceRepository, FaceRow } from '../faces/face-repository.ts';
import type { ListRepository } from '../lists/list-repository.ts';
import type { Gallery } from './gallery.ts';
import { rankScored, type Scored } from './scored.ts';
import { cosineToSimilarity } from './similarity.ts';

/** One set of candidates with its result limit and similarity threshold. */
export interface CandidateSet {
  listId?: string;
  faceIds?: string[];
  limit: number;
  threshold: number;
}

/** One matched face. */
export interface FaceMatch {
  face: FaceRow;
  similarity: number;
}

/** What the match service depends on. */
export interface MatchServiceDeps {
  gallery: Gallery;
  faces: FaceRepository;
  lists: ListRepository;
}

/** How a match runs. */
export interface MatchOptions {
  /** Scan every descriptor of a list even when it has an index. */
  exact?: boolean;
}

/** What the match service offers. */
export interface MatchService {
  /**
   * Per candidate set, the best faces for `descriptor`, best first. `readScope` is the account
   * whose lists and faces may be matched, or undefined for every account.
   */
  match(
    readScope: string | undefined,
    descriptor: Float32Array,
    sets: CandidateSet[],
    options?: MatchOptions,
  ): Promise<FaceMatch[][]>;
  /** Calibrated similarity of two unit descriptors of the served version. */
  similarity(a: Float32Array, b: Float32Array): number;
}

/** Creates the match service. */
export function createMatchService(deps: MatchServiceDeps): MatchService {
  const { gallery, faces, lists } = deps;
  async function scoreSet(
    accountId: string | undefined,
    q: Float32Array,
    set: CandidateSet,
    options: MatchOptions,
  ): Promise<Scored[]> {
    if (set.listId) {
      if (!(await lists.find(accountId, set.listId))) {
        throw notFound('list', set.listId);
      }
      return gallery.search(set.listId, q, set.limit, options);
    }
    const vectors = await faces.descriptors(
      accountId,
      set.faceIds ?? [],
      gallery.descriptorVersion,
    );
    const scored = [...vectors].map(([id, v]) => ({ id, cosine: dot(q, v) }));
    return rankScored(scored, set.limit);
  }

  async function withFaces(accountId: string | undefined, scored: Scored[], threshold: number) {
    const calibration = gallery.calibration;
    const kept = scored
      .map((s) => ({ id: s.id, similarity: cosineToSimilarity(s.cosine, calibration) }))
      .filter((s) => s.similarity >= threshold);
    if (kept.length === 0) {
      return [];
    }
    const { rows } = await faces.query(accountId, {
      faceIds: kept.map((s) => s.id),
      page: 1,
      pageSize: kept.length,
    });
    const byId = new Map(rows.map((r) => [r.faceId, r]));
    return kept.flatMap((s) => {
      const face = byId.get(s.id);
      return face ? [{ face, similarity: s.similarity }] : [];
    });
  }

  return {
    async match(accountId, descriptor, sets, options = {}) {
      const results: FaceMatch[][] = [];
      for (const set of sets) {
        const scored = await scoreSet(accountId, descriptor, set, options);
        results.push(await withFaces(accountId, scored, set.threshold));
      }
      return results;
    },
    similarity: (a, b) => cosineToSimilarity(dot(a, b), gallery.calibration),
  };
}
