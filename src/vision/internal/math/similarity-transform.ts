/**
 * 2-D similarity transforms (rotation, uniform scale, translation) fitted to point pairs by
 * least squares, and the affine helpers that apply and invert them.
 */

/** A point as [x, y]. */
export type Point = readonly [number, number];

/**
 * A 2×3 affine matrix [a, b, c, d, e, f] mapping (x, y) to (a·x + b·y + c, d·x + e·y + f).
 */
export type Affine = readonly [number, number, number, number, number, number];

function centroid(points: readonly Point[]): Point {
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  return [sx / points.length, sy / points.length];
}

/** Sums over centred pairs: Σ s·d, Σ s×d (2-D cross product) and Σ |s|². */
function centredMoments(src: readonly Point[], dst: readonly Point[], ms: Point, md: Point) {
  let dot = 0;
  let cross = 0;
  let norm = 0;
  src.forEach(([x, y], i) => {
    const sx = x - ms[0];
    const sy = y - ms[1];
    const dx = dst[i]![0] - md[0];
    const dy = dst[i]![1] - md[1];
    dot += sx * dx + sy * dy;
    cross += sx * dy - sy * dx;
    norm += sx * sx + sy * sy;
  });
  return { dot, cross, norm };
}

/**
 * Fits the similarity transform that maps `src` onto `dst` with least squared error (the
 * closed form of Umeyama's method in 2-D, reflections excluded). Needs at least two distinct
 * source points; throws RangeError otherwise.
 */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): Affine {
  if (src.length !== dst.length || src.length < 2) {
    throw new RangeError('need at least two point pairs of equal count');
  }
  const [msx, msy] = centroid(src);
  const [mdx, mdy] = centroid(dst);
  const { dot, cross, norm } = centredMoments(src, dst, [msx, msy], [mdx, mdy]);
  if (norm === 0) {
    throw new RangeError('source points are all equal');
  }
  const a = dot / norm;
  const b = cross / norm;
  return [a, -b, mdx - a * msx + b * msy, b, a, mdy - b * msx - a * msy];
}

/** Applies an affine matrix to a point. */
export function applyAffine(m: Affine, [x, y]: Point): Point {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** Inverts an affine matrix; throws RangeError when it is singular. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (det === 0) {
    throw new RangeError('affine matrix is singular');
  }
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}

/** Scale factor of a similarity matrix (the length of its first column). */
export function similarityScale(m: Affine): number {
  return Math.hypot(m[0], m[3]);
}
