/** Pure descriptor math: L2 normalisation, dot product, averaging, and the binary codec. */

/** Length of every descriptor the recognizer produces. */
export const DESCRIPTOR_LENGTH = 512;

/** Returns a unit-length copy of `v` (a zero vector stays zero). */
export function l2Normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    sum += v[i]! * v[i]!;
  }
  const norm = Math.sqrt(sum);
  const out = new Float32Array(v.length);
  if (norm === 0) {
    return out;
  }
  for (let i = 0; i < v.length; i++) {
    out[i] = v[i]! / norm;
  }
  return out;
}

/** Dot product of two equal-length vectors (cosine for unit vectors). */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    sum += a[i]! * b[i]!;
  }
  return sum;
}

/** The normalised mean of unit descriptors: one descriptor standing for several samples. */
export function meanDescriptor(vectors: Float32Array[]): Float32Array {
  const sum = new Float32Array(vectors[0]!.length);
  for (const v of vectors) {
    for (let i = 0; i < v.length; i++) {
      sum[i]! += v[i]!;
    }
  }
  return l2Normalise(sum);
}

/** Serialises a descriptor as little-endian float32 bytes for a BLOB column. */
export function encodeDescriptor(v: Float32Array): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) {
    view.setFloat32(i * 4, v[i]!, true);
  }
  return out;
}

/** Reads a descriptor back from BLOB bytes written by `encodeDescriptor`. */
export function decodeDescriptor(bytes: ArrayBuffer | Uint8Array): Float32Array {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const out = new Float32Array(u8.byteLength / 4);
  for (let i = 0; i < out.length; i++) {
    out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}
