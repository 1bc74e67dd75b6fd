/** Pure verification metrics: 10-fold accuracy, TAR at a FAR, AUC, logistic calibration fit. */

/** A scored pair. */
export interface ScoredPair {
  fold: number;
  same: boolean;
  score: number;
}

function accuracyAt(pairs: ScoredPair[], threshold: number): number {
  const right = pairs.filter((p) => p.score >= threshold === p.same).length;
  return right / pairs.length;
}

function bestThreshold(pairs: ScoredPair[]): number {
  const candidates = [...new Set(pairs.map((p) => p.score))].sort((a, b) => a - b);
  let best = { threshold: 0, accuracy: -1 };
  for (const t of candidates) {
    const accuracy = accuracyAt(pairs, t);
    if (accuracy > best.accuracy) {
      best = { threshold: t, accuracy };
    }
  }
  return best.threshold;
}

/** Standard protocol: threshold chosen on nine folds, accuracy on the tenth; mean and sd. */
export function tenFoldAccuracy(pairs: ScoredPair[]): {
  mean: number;
  sd: number;
  folds: number[];
} {
  const foldIds = [...new Set(pairs.map((p) => p.fold))].sort((a, b) => a - b);
  const folds = foldIds.map((f) => {
    const threshold = bestThreshold(pairs.filter((p) => p.fold !== f));
    return accuracyAt(
      pairs.filter((p) => p.fold === f),
      threshold,
    );
  });
  const mean = folds.reduce((s, a) => s + a, 0) / folds.length;
  const sd = Math.sqrt(folds.reduce((s, a) => s + (a - mean) ** 2, 0) / folds.length);
  return { mean, sd, folds };
}

/** The lowest threshold at which at most `far` of different-person pairs pass. */
export function thresholdAtFar(pairs: ScoredPair[], far: number): number {
  const impostors = pairs
    .filter((p) => !p.same)
    .map((p) => p.score)
    .sort((a, b) => b - a);
  const allowed = Math.floor(far * impostors.length);
  // Strictly above the (allowed+1)-th highest impostor score.
  return impostors[allowed]! + 1e-9;
}

/** Share of same-person pairs at or above `threshold`. */
export function tarAt(pairs: ScoredPair[], threshold: number): number {
  const genuine = pairs.filter((p) => p.same);
  return genuine.filter((p) => p.score >= threshold).length / genuine.length;
}

/** Area under the ROC curve (probability a same pair outscores a different pair). */
export function auc(pairs: ScoredPair[]): number {
  const genuine = pairs.filter((p) => p.same).map((p) => p.score);
  const impostor = pairs.filter((p) => !p.same).map((p) => p.score);
  let wins = 0;
  for (const g of genuine) {
    for (const i of impostor) {
      wins += g > i ? 1 : g === i ? 0.5 : 0;
    }
  }
  return wins / (genuine.length * impostor.length);
}

/** Maximum-likelihood slope of 1/(1+exp(-slope(score-centre))) for a fixed centre. */
export function fitSlope(pairs: ScoredPair[], centre: number): number {
  let slope = 10;
  for (let iter = 0; iter < 200; iter++) {
    let gradient = 0;
    let curvature = 0;
    for (const p of pairs) {
      const x = p.score - centre;
      const prob = 1 / (1 + Math.exp(-slope * x));
      gradient += ((p.same ? 1 : 0) - prob) * x;
      curvature += prob * (1 - prob) * x * x;
    }
    const step = gradient / Math.max(curvature, 1e-12);
    slope += step;
    if (Math.abs(step) < 1e-9) {
      break;
    }
  }
  return slope;
}
