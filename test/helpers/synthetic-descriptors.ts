/**
 * Seeded synthetic unit descriptors for matcher tests: people as random centres, each sample a
 * centre plus noise, so a gallery has near neighbours the way face descriptors do.
 */
import { DESCRIPTOR_LENGTH, dot, l2Normalise } from '../../src/descriptors/index.ts';
import type { Scored } from '../../src/matcher/index.ts';

/** A seeded generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded standard normal generator. */
export function seededGauss(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

/** A random unit descriptor. */
export function randomUnit(gauss: () => number): Float32Array {
  const v = new Float32Array(DESCRIPTOR_LENGTH);
  for (let i = 0; i < v.length; i++) {
    v[i] = gauss();
  }
  return l2Normalise(v);
}

/** A unit descriptor near `centre`: same person, another photo. */
export function nearby(centre: Float32Array, gauss: () => number, noise = 0.8): Float32Array {
  const v = new Float32Array(DESCRIPTOR_LENGTH);
  const scale = noise / Math.sqrt(DESCRIPTOR_LENGTH);
  for (let i = 0; i < v.length; i++) {
    v[i] = centre[i]! + gauss() * scale;
  }
  return l2Normalise(v);
}

/** `count` samples of `count / perPerson` people, ids `f000001`…, in a shuffled order. */
export function syntheticGallery(count: number, seed: number, perPerson = 5) {
  const gauss = seededGauss(seed);
  const people = Array.from({ length: Math.ceil(count / perPerson) }, () => randomUnit(gauss));
  const faces = Array.from({ length: count }, (_, i) => ({
    id: `f${String(i).padStart(6, '0')}`,
    vector: nearby(people[i % people.length]!, gauss),
  }));
  return { people, faces, gauss };
}

/** The straightforward reference: float32 cosine of every face, best first, ties by id. */
export function bruteForce(
  faces: { id: string; vector: Float32Array }[],
  query: Float32Array,
  limit: number,
): Scored[] {
  return faces
    .map((f) => ({ id: f.id, cosine: dot(f.vector, query) }))
    .sort((a, b) => b.cosine - a.cosine || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit);
}
