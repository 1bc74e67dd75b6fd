/**
 * Exact top-k over a contiguous descriptor matrix at native speed: usearch's exact search
 * proposes candidates from the stored rows (float32 or int8), each candidate that could still
 * reach the k-th is re-scored in float32, and the candidate set widens until no row left out
 * could reach the k-th score. The answer is therefore exactly the float32 top-k, ties by id.
 */
import { availableParallelism } from 'node:os';
import usearch, { type MetricKind } from 'usearch';
import { quantisationError, quantise, type StoragePrecision } from './quantize.ts';
import { compareScored, type Scored } from './scored.ts';

/** A matrix the exact scan can walk. */
export interface ScanTarget {
  readonly precision: StoragePrecision;
  /** Rows held. */
  readonly size: number;
  /** At least `rowError` of every row. */
  readonly maxRowError: number;
  /** Row-major values of the `size` rows; usearch reads them from byte 0 of their buffer. */
  nativeRows(): Float32Array | Int8Array;
  /** The ranking truth: float32 cosine of one row against the query. */
  scoreRow(row: number, query: Float32Array): number;
  /** How far the stored row's cosine to any unit query may sit from `scoreRow`'s. */
  rowError(row: number): number;
  idAt(row: number): string;
}

/**
 * Candidates proposed beyond `limit` before the first proof attempt. Each widening is another
 * full scan, so int8 (whose bound is wider) starts wide; only candidates within the bound of
 * the k-th are re-scored, so a wide start costs little.
 */
const SCAN_MARGIN: Record<StoragePrecision, number> = { f32: 16, i8: 256 };
/** Factor the candidate count grows by when the proof fails (near-ties at the boundary). */
const WIDEN = 4;
/** Bound on |usearch float32 dot − JS dot| for unit vectors of 512 floats (≈ 512 · 2⁻²⁴). */
const F32_EPS = 1e-4;
/** Below this many rows one thread beats starting a pool. */
const PARALLEL_MIN_ROWS = 32_768;
const SCAN_THREADS = availableParallelism();

/** The query as usearch sees it, and how far its scores may sit from the re-scored ones. */
interface Probe {
  values: Float32Array | Int8Array;
  metric: MetricKind;
  /** Multiplies usearch's similarity into the scorer's units. */
  scale: number;
  /** Bound from the query's side (its quantisation) plus float rounding. */
  eps: number;
}

function probeOf(query: Float32Array, precision: StoragePrecision): Probe {
  if (precision === 'f32') {
    // A fresh copy: usearch reads from byte 0 of the buffer, ignoring any view offset.
    return {
      values: new Float32Array(query),
      metric: usearch.MetricKind.IP,
      scale: 1,
      eps: F32_EPS,
    };
  }
  const q = quantise(query);
  let sum = 0;
  for (let i = 0; i < query.length; i++) {
    sum += query[i]! * query[i]!;
  }
  const eps = quantisationError(query, q) + F32_EPS;
  return { values: q.values, metric: usearch.MetricKind.Cos, scale: Math.sqrt(sum), eps };
}

/** The best `limit` candidates seen so far, best first. */
class Best {
  readonly items: Scored[] = [];

  constructor(private readonly limit: number) {}

  /** The k-th score once `limit` are held; until then nothing is out of reach. */
  get kth(): number {
    return this.items.length < this.limit
      ? Number.NEGATIVE_INFINITY
      : this.items[this.limit - 1]!.cosine;
  }

  offer(candidate: Scored): void {
    const { items, limit } = this;
    if (items.length === limit && compareScored(candidate, items[limit - 1]!) >= 0) {
      return;
    }
    let at = items.length;
    while (at > 0 && compareScored(candidate, items[at - 1]!) < 0) {
      at--;
    }
    items.splice(at, 0, candidate);
    if (items.length > limit) {
      items.pop();
    }
  }
}

/**
 * Re-scores in float32 each proposed row whose stored score, widened by the bound, could still
 * reach the k-th; `exact` keeps scores already read across widenings.
 */
function rerank(
  target: ScanTarget,
  query: Float32Array,
  found: { keys: BigUint64Array; distances: Float32Array },
  probe: Probe,
  best: Best,
  exact: Map<number, number>,
): number {
  let lowest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < found.keys.length; i++) {
    const row = Number(found.keys[i]);
    const stored = probe.scale * (1 - found.distances[i]!);
    lowest = Math.min(lowest, stored);
    if (stored + probe.eps + target.rowError(row) < best.kth) {
      continue;
    }
    let cosine = exact.get(row);
    if (cosine === undefined) {
      cosine = target.scoreRow(row, query);
      exact.set(row, cosine);
    }
    best.offer({ id: target.idAt(row), cosine });
  }
  return lowest;
}

/** The `limit` best rows of `target` by float32 cosine to `query`, best first, ties by id. */
export function exactTopK(target: ScanTarget, query: Float32Array, limit: number): Scored[] {
  const n = target.size;
  if (n === 0 || limit <= 0) {
    return [];
  }
  const probe = probeOf(query, target.precision);
  const rows = target.nativeRows();
  const threads = n < PARALLEL_MIN_ROWS ? 1 : SCAN_THREADS;
  const exact = new Map<number, number>();
  let want = Math.min(n, limit + SCAN_MARGIN[target.precision]);
  for (;;) {
    const found = usearch.exactSearch(
      rows,
      probe.values,
      query.length,
      want,
      probe.metric,
      threads,
    );
    const best = new Best(limit);
    const lowest = rerank(target, query, found, probe, best, exact);
    // A row left out scores at most `lowest` as stored, so at most this much in float32.
    const reach = lowest + probe.eps + target.maxRowError;
    if (want === n || best.kth > reach) {
      return best.items;
    }
    want = Math.min(n, want * WIDEN);
  }
}
