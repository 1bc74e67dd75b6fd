/**
 * Batched exact nearest-neighbour search over a fixed matrix of unit descriptors: usearch's
 * native brute-force scan proposes each query's top k, which are re-scored here in double
 * precision so thresholds decide the same way as every other path. The adapter to usearch.
 */
import { availableParallelism } from 'node:os';
import usearch from 'usearch';
import { DESCRIPTOR_LENGTH } from '../../descriptors/index.ts';

const D = DESCRIPTOR_LENGTH;
const THREADS = availableParallelism();
/** Query rows × matrix rows visited per block: about 10 ms of scanning on a small box. */
const VISITS_PER_BLOCK = 100_000;

/** Called per proposed neighbour: query index, matrix row, cosine. */
export type NeighbourVisitor = (query: number, row: number, cosine: number) => void;

function dotAt(a: Float32Array, aRow: number, b: Float32Array, bRow: number): number {
  let s = 0;
  const ai = aRow * D;
  const bi = bRow * D;
  for (let k = 0; k < D; k++) {
    s += a[ai + k]! * b[bi + k]!;
  }
  return s;
}

/** Exact top-k search over the `n` rows of `matrix` (row-major unit descriptors). */
export class NeighbourScan {
  private readonly matrix: Float32Array;

  constructor(
    matrix: Float32Array,
    readonly n: number,
  ) {
    // usearch reads from byte 0 of the buffer: hand it a buffer of exactly these rows.
    const exact = matrix.byteOffset === 0 && matrix.buffer.byteLength === n * D * 4;
    this.matrix = exact ? matrix : matrix.slice(0, n * D);
  }

  /** Queries per call that keep one call near the block budget. */
  blockSize(): number {
    return Math.max(1, Math.floor(VISITS_PER_BLOCK / Math.max(this.n, 1)));
  }

  /** Visits the best `k` rows for each of the `count` rows of `queries`. */
  search(queries: Float32Array, count: number, k: number, visit: NeighbourVisitor): void {
    const want = Math.min(k, this.n);
    if (want <= 0 || count <= 0) {
      return;
    }
    const fresh = queries.byteOffset === 0 && queries.buffer.byteLength === count * D * 4;
    const block = fresh ? queries : queries.slice(0, count * D);
    const found = usearch.exactSearch(this.matrix, block, D, want, usearch.MetricKind.IP, THREADS);
    for (let q = 0; q < count; q++) {
      for (let j = 0; j < want; j++) {
        const row = Number(found.keys[q * want + j]);
        if (row < this.n) {
          visit(q, row, dotAt(block, q, this.matrix, row));
        }
      }
    }
  }
}
