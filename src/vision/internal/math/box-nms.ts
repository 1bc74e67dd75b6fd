/** Box overlap (intersection over union) and greedy non-maximum suppression. */

/** An axis-aligned box in pixels: top-left corner plus size. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A box with a confidence score. */
export interface ScoredBox {
  box: Box;
  score: number;
}

function area(box: Box): number {
  return Math.max(0, box.width) * Math.max(0, box.height);
}

/** Intersection over union of two boxes; 0 when either is empty. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) {
    return 0;
  }
  const inter = w * h;
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression: visits candidates best score first and keeps each one whose
 * IoU with every kept box is at most `iouThreshold`. Returns the kept items, best first, at
 * most `limit` of them. Ties keep their input order.
 */
export function suppressOverlaps<T extends ScoredBox>(
  candidates: readonly T[],
  iouThreshold: number,
  limit = Number.POSITIVE_INFINITY,
): T[] {
  const order = candidates
    .map((_, i) => i)
    .sort((i, j) => candidates[j]!.score - candidates[i]!.score);
  const kept: T[] = [];
  for (const index of order) {
    const candidate = candidates[index]!;
    if (kept.length >= limit) {
      break;
    }
    if (kept.every((k) => iou(k.box, candidate.box) <= iouThreshold)) {
      kept.push(candidate);
    }
  }
  return kept;
}
