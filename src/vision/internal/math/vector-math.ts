/** Descriptor vector helpers: L2 normalisation and cosine similarity. */

/** Returns `vector` scaled to unit length (a zero vector comes back unchanged, as a copy). */
export function l2Normalise(vector: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) {
    sum += vector[i]! * vector[i]!;
  }
  const out = Float32Array.from(vector);
  if (sum === 0) {
    return out;
  }
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < out.length; i++) {
    out[i]! *= inv;
  }
  return out;
}

/** Cosine of the angle between two vectors of equal length; 0 when either is zero. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError('vectors differ in length');
  }
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
