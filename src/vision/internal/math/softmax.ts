/** Probabilities from network logits, and the expected value of a binned regression head. */

/** Softmax of `logits`, computed stably (the largest logit is subtracted first). */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    max = Math.max(max, logits[i]!);
  }
  const exps = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/**
 * Expected value of a head that classifies into equal bins: Σ p_i · i · `step` + `start`,
 * with p the softmax of `logits`. A 66-bin head of 3° bins starting at −99° gives degrees.
 */
export function binExpectation(logits: ArrayLike<number>, step: number, start: number): number {
  const probabilities = softmax(logits);
  let expected = 0;
  probabilities.forEach((p, i) => {
    expected += p * i;
  });
  return expected * step + start;
}

/** Index of the largest value (the first one on ties); -1 for an empty list. */
export function argMax(values: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    if (best < 0 || values[i]! > values[best]!) {
      best = i;
    }
  }
  return best;
}
