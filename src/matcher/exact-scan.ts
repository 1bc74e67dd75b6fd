/**
 * Exact top-k over a contiguous descriptor matrix at native speed: usearch's exact search
 * proposes candidates, each is re-scored with the matrix's own scorer, and the candidate set
 * widens until no row left out could reach the k-th score. The answer is therefore exactly the
 * top-k of that scorer, ties broken by id.
 */
import { availableParallelism } from 'node:os';
import usearch, { type MetricKind } from 'usearch';
import { quantisationError, quantise, type StoragePrecision } from './quantize.ts';
import { rankScored, type Scored } from './scored.ts';

/** A matrix the exact scan can walk. */
export interface ScanTarget {
  readonly precision: StoragePrecision;
  /** Rows held. */
  readonly size: number;
  /** Row-major values of the `size` rows; usearch reads them from byte 0 of their buffer. */
  nativeRows(): Float32Array | Int8Array;
  /** The ranking truth: score of one row against the query. */
  scoreRow(row: number, query: Float32Array): number;
  idAt(row: number): string;
}

/** Candidates proposed beyond `limit` before the first proof attempt. */
const SCAN_MARGIN = 16;
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

function provenTop(ranked: Scored[], limit: number, distances: Float32Array, probe: Probe) {
  let worst = Number.NEGATIVE_INFINITY;
  for (const d of distances) {
    worst = Math.max(worst, d);
  }
  const floor = probe.scale * (1 - worst);
  const kth = ranked[limit - 1];
  return kth !== undefined && kth.cosine > floor + probe.eps;
}

/** The `limit` best rows of `target` for `query`, best first, ties by id. */
export function exactTopK(target: ScanTarget, query: Float32Array, limit: number): Scored[] {
  const n = target.size;
  if (n === 0 || limit <= 0) {
    return [];
  }
  const probe = probeOf(query, target.precision);
  const rows = target.nativeRows();
  const threads = n < PARALLEL_MIN_ROWS ? 1 : SCAN_THREADS;
  let want = Math.min(n, limit + SCAN_MARGIN);
  for (;;) {
    const found = usearch.exactSearch(
      rows,
      probe.values,
      query.length,
      want,
      probe.metric,
      threads,
    );
    const scored = Array.from(found.keys, (key) => {
      const row = Number(key);
      return { id: target.idAt(row), cosine: target.scoreRow(row, query) };
    });
    const ranked = rankScored(scored, limit);
    if (want === n || provenTop(ranked, limit, found.distances, probe)) {
      return ranked;
    }
    want = Math.min(n, want * WIDEN);
  }
}
