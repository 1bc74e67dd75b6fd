/**
 * The usearch adapter: an HNSW graph per list build, created empty for adding (in the build
 * worker) or memory-mapped from its saved file (in the serving process).
 */
import usearch, { type Index, type ScalarKind } from 'usearch';

/** Scalar type the HNSW graph stores its vectors in. */
export type IndexPrecision = 'f32' | 'f16' | 'i8';

/** Graph parameters of every list index; recorded in the manifest of each build. */
export const HNSW_PARAMS = {
  /** Links per node (M): memory and recall grow with it. */
  connectivity: 32,
  /** Candidate list while inserting (efConstruction): build time and graph quality. */
  expansionAdd: 256,
  /** Candidate list while searching (ef): latency and recall. */
  expansionSearch: 160,
} as const;

/** A searchable approximate index whose keys are positions in the build's face id list. */
export interface VectorIndex {
  readonly size: number;
  /** Keys of about the `k` nearest vectors to `query`, nearest first. */
  search(query: Float32Array, k: number): number[];
}

/** Creates an empty usearch index for `dimensions`-float vectors stored as `precision`. */
export function createHnsw(dimensions: number, precision: IndexPrecision): Index {
  return new usearch.Index({
    dimensions,
    // Cosine, not inner product: an int8 graph rescales every vector and needs a scale-free metric.
    metric: usearch.MetricKind.Cos,
    quantization: precision as ScalarKind,
    connectivity: HNSW_PARAMS.connectivity,
    expansion_add: HNSW_PARAMS.expansionAdd,
    expansion_search: HNSW_PARAMS.expansionSearch,
    multi: false,
  });
}

/** Memory-maps a saved index file; the file must stay in place while the index is used. */
export function viewHnsw(file: string, dimensions: number, precision: IndexPrecision): VectorIndex {
  const index = createHnsw(dimensions, precision);
  index.view(file);
  const size = index.size();
  return {
    size,
    search(query, k) {
      if (size === 0) {
        return [];
      }
      const found = index.search(query, Math.min(k, size), 1);
      return Array.from(found.keys, Number);
    },
  };
}
