import { describe, expect, it } from 'vitest';
import { DESCRIPTOR_LENGTH } from '../../../src/descriptors/index.ts';
import { ListMatrix } from '../../../src/matcher/index.ts';
import { bruteForce, nearby, syntheticGallery } from '../../helpers/synthetic-descriptors.ts';

function matrixOf(faces: { id: string; vector: Float32Array }[], precision: 'f32' | 'i8' = 'f32') {
  const matrix = new ListMatrix(precision);
  for (const f of faces) {
    matrix.set(f.id, f.vector);
  }
  return matrix;
}

describe('exact scan', () => {
  it.each([
    [1, 1],
    [7, 3],
    [20, 20],
    [500, 1],
    [500, 10],
    [3000, 100],
  ])('agrees with float32 cosine on %d faces, limit %d', (count, limit) => {
    const { faces, people, gauss } = syntheticGallery(count, count + limit);
    const matrix = matrixOf(faces);
    for (let q = 0; q < 20; q++) {
      const query = nearby(people[q % people.length]!, gauss);
      expect(matrix.search(query, limit)).toEqual(bruteForce(faces, query, limit));
    }
  });

  it('agrees across the multi-threaded path (40,000 faces)', () => {
    const { faces, people, gauss } = syntheticGallery(40_000, 11);
    const matrix = matrixOf(faces);
    for (let q = 0; q < 5; q++) {
      const query = nearby(people[q]!, gauss);
      expect(matrix.search(query, 5)).toEqual(bruteForce(faces, query, 5));
    }
  });

  it('breaks ties by id, even when more rows tie than are asked for', () => {
    const { faces, gauss, people } = syntheticGallery(200, 3);
    const twin = faces[17]!.vector;
    const twins = ['t9', 't1', 't5', 't3', 't7'].map((id) => ({ id, vector: twin }));
    const all = [...faces, ...twins];
    const matrix = matrixOf(all);
    const result = matrix.search(twin, 3);
    expect(result.map((s) => s.id)).toEqual(bruteForce(all, twin, 3).map((s) => s.id));
    expect(result.map((s) => s.id)).toEqual([faces[17]!.id, 't1', 't3'].sort().slice(0, 3));
    const other = nearby(people[1]!, gauss);
    expect(matrix.search(other, 10)).toEqual(bruteForce(all, other, 10));
  });

  it('reads a query that is a view into a larger buffer', () => {
    const { faces, people, gauss } = syntheticGallery(300, 5);
    const buffer = new Float32Array(DESCRIPTOR_LENGTH * 3);
    const query = nearby(people[2]!, gauss);
    buffer.set(query, DESCRIPTOR_LENGTH);
    const view = buffer.subarray(DESCRIPTOR_LENGTH, DESCRIPTOR_LENGTH * 2);
    expect(matrixOf(faces).search(view, 5)).toEqual(bruteForce(faces, query, 5));
  });

  it('stays exact after deletes and replacements', () => {
    const { faces, people, gauss } = syntheticGallery(1000, 9);
    const matrix = matrixOf(faces);
    const kept = faces.filter((_, i) => i % 3 !== 0);
    faces.forEach((f, i) => {
      if (i % 3 === 0) {
        matrix.delete(f.id);
      }
    });
    const replaced = kept.map((f, i) =>
      i % 5 === 0 ? { ...f, vector: nearby(people[0]!, gauss) } : f,
    );
    for (const f of replaced) {
      matrix.set(f.id, f.vector);
    }
    const query = nearby(people[0]!, gauss);
    expect(matrix.search(query, 20)).toEqual(bruteForce(replaced, query, 20));
  });

  it('returns the exact top-k of the int8 scorer in int8 storage', () => {
    const { faces, people, gauss } = syntheticGallery(2000, 21);
    const matrix = matrixOf(faces, 'i8');
    for (let q = 0; q < 20; q++) {
      const query = nearby(people[q]!, gauss);
      const reference = faces
        .map((f) => ({ id: f.id, cosine: matrix.score(f.id, query)! }))
        .sort((a, b) => b.cosine - a.cosine || (a.id < b.id ? -1 : 1))
        .slice(0, 5);
      expect(matrix.search(query, 5)).toEqual(reference);
    }
  });

  it('returns nothing from an empty matrix', () => {
    expect(new ListMatrix().search(new Float32Array(DESCRIPTOR_LENGTH), 3)).toEqual([]);
  });
});
