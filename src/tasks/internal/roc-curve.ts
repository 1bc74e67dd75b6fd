/**
 * ROC arithmetic on genuine and impostor scores: pass rates at a threshold, a down-sampled
 * curve, the equal error rate, and the area under the curve by ranks. Pure; scores are sorted
 * ascending once (`sortedScores`) and every query is a binary search.
 */

/** Scores sorted ascending. */
export type SortedScores = Float64Array;

/** One point of the curve. */
export interface RocPoint {
  /** Pairs scoring at least this pass. */
  threshold: number;
  tpr: number;
  fpr: number;
}

/** A sorted copy of `scores`. */
export function sortedScores(scores: ArrayLike<number>): SortedScores {
  return Float64Array.from(scores).sort();
}

/** Index of the first score ≥ `threshold`. */
function lowerBound(sorted: SortedScores, threshold: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < threshold) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Share of `sorted` at or above `threshold` (0 for an empty list). */
export function passRate(sorted: SortedScores, threshold: number): number {
  return sorted.length === 0 ? 0 : (sorted.length - lowerBound(sorted, threshold)) / sorted.length;
}

function distinctDescending(a: SortedScores, b: SortedScores): number[] {
  const all = new Float64Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  const out: number[] = [];
  for (let i = all.length - 1; i >= 0; i--) {
    if (out.length === 0 || all[i] !== out[out.length - 1]) {
      out.push(all[i]!);
    }
  }
  return out;
}

/** The curve from (0, 0) to (1, 1) at no more than `maxPoints` thresholds. */
export function rocCurve(genuine: SortedScores, impostor: SortedScores, maxPoints = 400) {
  const thresholds = distinctDescending(genuine, impostor);
  const stride = Math.max(1, Math.ceil(thresholds.length / maxPoints));
  const picked = thresholds.filter((_, i) => i % stride === 0 || i === thresholds.length - 1);
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, tpr: 0, fpr: 0 }];
  for (const t of picked) {
    points.push({ threshold: t, tpr: passRate(genuine, t), fpr: passRate(impostor, t) });
  }
  return points;
}

/** The equal error rate: where false rejects (1 − TPR) meet false accepts (FPR). */
export function equalErrorRate(genuine: SortedScores, impostor: SortedScores) {
  const thresholds = distinctDescending(genuine, impostor).reverse();
  let lo = 0;
  let hi = thresholds.length - 1;
  const gap = (i: number) => {
    const t = thresholds[i]!;
    return 1 - passRate(genuine, t) - passRate(impostor, t);
  };
  // gap rises with the threshold: find the first threshold where false rejects reach accepts.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (gap(mid) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const t = thresholds[lo] ?? 0;
  const frr = 1 - passRate(genuine, t);
  const far = passRate(impostor, t);
  return { eer: (frr + far) / 2, threshold: t };
}

/** Area under the curve: P(genuine > impostor) + ½ P(equal), from sorted lists in O(G + I). */
export function rankAuc(genuine: SortedScores, impostor: SortedScores): number {
  if (genuine.length === 0 || impostor.length === 0) {
    return Number.NaN;
  }
  let below = 0;
  let equalEnd = 0;
  let wins = 0;
  for (const g of genuine) {
    while (below < impostor.length && impostor[below]! < g) {
      below++;
    }
    equalEnd = Math.max(equalEnd, below);
    while (equalEnd < impostor.length && impostor[equalEnd] === g) {
      equalEnd++;
    }
    wins += below + (equalEnd - below) / 2;
  }
  return wins / (genuine.length * impostor.length);
}
