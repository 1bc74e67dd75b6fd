/**
 * A list's index while it serves: the memory-mapped graph, the faces it still covers, and the
 * delta (faces linked or changed since the build) scanned exactly. Graph candidates are
 * re-scored in float32 by the list's matrix (an int8 matrix reads its row file) and merged with
 * the delta, so scores are the exact scan's and a removed face can never be returned.
 */
import { DESCRIPTOR_LENGTH } from '../../descriptors/index.ts';
import { IdIndex } from '../id-index.ts';
import { ListMatrix, type SetOutcome } from '../list-matrix.ts';
import { rankScored, type Scored } from '../scored.ts';
import type { IndexPrecision, VectorIndex } from './hnsw.ts';

/** Graph candidates re-scored per query when the caller wants fewer. */
const RERANK_DEPTH = 32;
/** Factor the graph candidate count grows by when removed faces crowd out live ones. */
const WIDEN = 4;

/** Facts about the build behind an index. */
export interface IndexInfo {
  buildId: string;
  builtAt: number;
  precision: IndexPrecision;
}

/** One list's serving index with its delta. */
export class IndexedList {
  /** Graph key of each face id (built over `keyIds`). */
  private readonly keyOf: IdIndex;
  /** 1 where the graph's vector for the key is the face's current descriptor in the list. */
  private readonly live: Uint8Array;
  private readonly delta: ListMatrix;
  private liveCount = 0;
  private removedCount = 0;

  /**
   * @param keyIds face id per graph key, '' for keys the build skipped; ids are replaced by the
   *   matrix's own strings so a million faces keep one copy of each id
   * @param dirty faces changed while the build ran: matched through the delta instead
   */
  constructor(
    private readonly graph: VectorIndex,
    private readonly keyIds: string[],
    private readonly matrix: ListMatrix,
    readonly info: IndexInfo,
    dirty: ReadonlySet<string> = new Set(),
  ) {
    this.keyOf = new IdIndex((key) => keyIds[key]!);
    this.live = new Uint8Array(keyIds.length);
    for (let key = 0; key < keyIds.length; key++) {
      const id = keyIds[key]!;
      const held = id === '' ? undefined : matrix.canonicalId(id);
      this.removedCount += id !== '' && (held === undefined || dirty.has(id)) ? 1 : 0;
      keyIds[key] = held ?? '';
      if (held !== undefined) {
        this.keyOf.set(held, key);
        this.live[key] = dirty.has(held) ? 0 : 1;
        this.liveCount += this.live[key]!;
      }
    }
    // Float32 whatever the list's storage: the delta is small (a rebuild bounds it).
    this.delta = new ListMatrix('f32');
    const vector = new Float32Array(DESCRIPTOR_LENGTH);
    for (const id of matrix.faceIds()) {
      if (!this.covers(id) && matrix.unitVectorInto(id, vector)) {
        this.delta.set(id, vector);
      }
    }
  }

  /** Faces the graph answers for. */
  get size(): number {
    return this.liveCount;
  }

  /** Faces matched by the exact delta scan (linked or changed since the build). */
  get pending(): number {
    return this.delta.size;
  }

  /** Faces still in the graph but no longer in the list (filtered from every answer). */
  get removed(): number {
    return this.removedCount;
  }

  /** Records that `faceId` was linked or its descriptor replaced. */
  onSet(faceId: string, descriptor: Float32Array, outcome: SetOutcome): void {
    if (outcome === 'unchanged') {
      return;
    }
    this.retire(faceId);
    this.delta.set(faceId, descriptor);
  }

  /** Records that `faceId` left the list. */
  onDelete(faceId: string): void {
    if (!this.retire(faceId)) {
      this.delta.delete(faceId);
    }
  }

  /** The `limit` best faces: graph candidates re-scored, merged with the delta scan. */
  search(query: Float32Array, limit: number): Scored[] {
    const merged = [...this.graphCandidates(query, limit), ...this.delta.search(query, limit)];
    return rankScored(merged, limit);
  }

  private graphCandidates(query: Float32Array, limit: number): Scored[] {
    const target = Math.min(Math.max(limit, RERANK_DEPTH), this.liveCount);
    if (target === 0) {
      return [];
    }
    let k = target;
    for (;;) {
      const live = this.graph.search(query, k).filter((key) => this.isLive(key));
      if (live.length >= target || k >= this.graph.size) {
        return live.map((key) => {
          const id = this.keyIds[key]!;
          return { id, cosine: this.matrix.score(id, query)! };
        });
      }
      k = Math.min(this.graph.size, k * WIDEN);
    }
  }

  private isLive(key: number): boolean {
    return this.live[key] === 1;
  }

  private covers(faceId: string): boolean {
    const key = this.keyOf.get(faceId);
    return key !== undefined && this.live[key] === 1;
  }

  /** Stops answering `faceId` from the graph; true when the graph was answering it. */
  private retire(faceId: string): boolean {
    const key = this.keyOf.get(faceId);
    if (key === undefined || this.live[key] === 0) {
      return false;
    }
    this.live[key] = 0;
    this.liveCount--;
    this.removedCount++;
    return true;
  }
}
