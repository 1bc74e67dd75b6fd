/**
 * Soft stagewise regression (SSR-Net): merges the per-stage bin probabilities, index shifts and
 * bin-width scalings of a three-stage head into one regressed value.
 */

/** One stage of an SSR-Net head, as the network outputs it. */
export interface SsrStage {
  /** Probability of each bin. */
  probabilities: ArrayLike<number>;
  /** Per-bin shift of the bin index (η). */
  indexOffsets: ArrayLike<number>;
  /** Scaling of this stage's bin width (Δk). */
  widthDelta: number;
}

/**
 * Merges the stages into `range × Σ_k (Σ_i (i + η_k,i) p_k,i) / Π_{j≤k} s_j (1 + Δ_j)`, where
 * s_j is stage j's bin count. With range 101 the result is an age in years; with range 1 it is
 * a value in about [0, 1].
 */
export function mergeSsrStages(stages: readonly SsrStage[], range: number): number {
  let total = 0;
  let width = 1;
  for (const stage of stages) {
    const bins = stage.probabilities.length;
    width *= bins * (1 + stage.widthDelta);
    let expected = 0;
    for (let i = 0; i < bins; i++) {
      expected += (i + stage.indexOffsets[i]!) * stage.probabilities[i]!;
    }
    total += expected / width;
  }
  return total * range;
}
