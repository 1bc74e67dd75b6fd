/**
 * Pure math of int8 descriptor storage: each vector is scaled so its largest component maps to
 * ±127 and rounded, and keeps 1/|v8| so scores stay cosines against the stored vector.
 */

/** How the matcher keeps descriptors in memory for the exact scan. */
export type StoragePrecision = 'f32' | 'i8';

/** Largest magnitude of an int8 component. */
const I8_MAX = 127;

/** One descriptor quantised to int8, with the inverse norm of the int8 vector. */
export interface QuantisedVector {
  values: Int8Array;
  invNorm: number;
}

/** Quantises `v` into `out` (same length) and returns 1/|out| (0 for a zero vector). */
export function quantiseInto(v: Float32Array, out: Int8Array): number {
  let peak = 0;
  for (let i = 0; i < v.length; i++) {
    peak = Math.max(peak, Math.abs(v[i]!));
  }
  if (peak === 0) {
    out.fill(0);
    return 0;
  }
  const scale = I8_MAX / peak;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const q = Math.round(v[i]! * scale);
    out[i] = q;
    sum += q * q;
  }
  return 1 / Math.sqrt(sum);
}

/** Quantises `v` into a new int8 vector. */
export function quantise(v: Float32Array): QuantisedVector {
  const values = new Int8Array(v.length);
  return { values, invNorm: quantiseInto(v, values) };
}

/** Euclidean norm of `v`. */
export function normOf(v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    sum += v[i]! * v[i]!;
  }
  return Math.sqrt(sum);
}

/**
 * Distance between the direction of `v` (scaled to |v|) and the direction of its int8 form:
 * by Cauchy–Schwarz, the most a cosine against any unit vector can move when `v` is replaced
 * by its quantised form.
 */
export function quantisationError(v: Float32Array, q: QuantisedVector): number {
  const norm = normOf(v);
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v[i]! - norm * q.values[i]! * q.invNorm;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/** The unit float32 vector an int8 row stands for. */
export function dequantise(values: Int8Array, invNorm: number, out: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) {
    out[i] = values[i]! * invNorm;
  }
  return out;
}
