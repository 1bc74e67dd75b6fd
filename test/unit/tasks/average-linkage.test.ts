import { describe, expect, it } from 'vitest';
import { DESCRIPTOR_LENGTH, dot, l2Normalise } from '../../../src/descriptors/index.ts';
import { clusterByAverageLinkage, EdgeList } from '../../../src/tasks/internal/average-linkage.ts';
import { nearby, randomUnit, seededGauss } from '../../helpers/synthetic-descriptors.ts';

const D = DESCRIPTOR_LENGTH;

function matrixOf(vectors: Float32Array[]): Float32Array {
  const m = new Float32Array(vectors.length * D);
  vectors.forEach((v, i) => {
    m.set(v, i * D);
  });
  return m;
}

function allEdges(vectors: Float32Array[], minCos: number): EdgeList {
  const edges = new EdgeList();
  for (let a = 0; a < vectors.length; a++) {
    for (let b = a + 1; b < vectors.length; b++) {
      const c = dot(vectors[a]!, vectors[b]!);
      if (c >= minCos) {
        edges.push(a, b, c);
      }
    }
  }
  return edges;
}

/** A unit vector with cosine `c` to the unit `to`, in a random direction otherwise. */
function atCosine(to: Float32Array, c: number, gauss: () => number): Float32Array {
  const r = randomUnit(gauss);
  const along = dot(r, to);
  const ortho = l2Normalise(r.map((x, k) => x - along * to[k]!));
  return l2Normalise(to.map((x, k) => c * x + Math.sqrt(1 - c * c) * ortho[k]!));
}

describe('average linkage', () => {
  it('recovers synthetic people exactly', () => {
    const gauss = seededGauss(3);
    const people = Array.from({ length: 30 }, () => randomUnit(gauss));
    const vectors = people.flatMap((p) => Array.from({ length: 6 }, () => nearby(p, gauss, 0.6)));
    const clusters = clusterByAverageLinkage(
      matrixOf(vectors),
      vectors.length,
      allEdges(vectors, 0.3),
      0.3,
    );
    expect(clusters).toHaveLength(30);
    for (const c of clusters) {
      expect(new Set(c.members.map((m) => Math.floor(m / 6))).size).toBe(1);
      expect(c.members).toContain(c.representative);
    }
  });

  it('does not chain two people together through one look-alike pair', () => {
    const gauss = seededGauss(11);
    const [a, b] = [randomUnit(gauss), randomUnit(gauss)];
    const first = Array.from({ length: 5 }, () => nearby(a, gauss, 0.5));
    const second = Array.from({ length: 5 }, () => nearby(b, gauss, 0.5));
    // One photo of the first person looks like the second person's photo 0.
    first[4] = atCosine(second[0]!, 0.8, gauss);
    first[4] = l2Normalise(first[4].map((x, k) => x + 0.9 * a[k]!));
    const vectors = [...first, ...second];
    const edges = allEdges(vectors, 0.3);
    const crossing = Array.from({ length: edges.length }, (_, e) => edges.at(e)).filter(
      ([x, y]) => x < 5 !== y < 5,
    );
    // Single linkage would merge the two people through this pair.
    expect(crossing.length).toBeGreaterThan(0);
    const clusters = clusterByAverageLinkage(matrixOf(vectors), 10, edges, 0.3);
    expect(clusters.map((c) => c.members.length).sort()).toEqual([5, 5]);
  });

  it('keeps everyone apart when nothing passes the threshold', () => {
    const gauss = seededGauss(5);
    const vectors = Array.from({ length: 8 }, () => randomUnit(gauss));
    const clusters = clusterByAverageLinkage(matrixOf(vectors), 8, allEdges(vectors, 0.9), 0.9);
    expect(clusters).toHaveLength(8);
  });
});
