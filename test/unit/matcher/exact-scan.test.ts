import { describe, expect, it } from 'vitest';
import { DESCRIPTOR_LENGTH, dot } from '../../../src/descriptors/index.ts';
import { exactTopK, type ScanTarget } from '../../../src/matcher/exact-scan.ts';
import { ListMatrix } from '../../../src/matcher/index.ts';
import { dequantise, quantise } from '../../../src/matcher/quantize.ts';
import {
  bruteForce,
  nearby,
  randomUnit,
  seededGauss,
  syntheticGallery,
} from '../../helpers/synthetic-descriptors.ts';

type Face = { id: string; vector: Float32Array };

function matrixOf(faces: Face[], precision: 'f32' | 'i8' = 'f32') {
  const matrix = new ListMatrix(precision);
  for (const f of faces) {
    matrix.set(f.id, f.vector);
  }
  return matrix;
}

/** The top-1 of int8 storage scored without the float32 re-rank (what int8 alone would say). */
function int8TopOne(faces: Face[], query: Float32Array): string {
  const scored = faces.map((f) => {
    const q = quantise(f.vector);
    return { id: f.id, cosine: q.values.reduce((s, x, i) => s + x * query[i]!, 0) * q.invNorm };
  });
  return scored.sort((a, b) => b.cosine - a.cosine || (a.id < b.id ? -1 : 1))[0]!.id;
}

/**
 * A scan target whose stored int8 rows of the `far` faces point away from `query` (their
 * float32 vectors do not), each row's true error reported: only the row bound keeps the scan
 * from stopping at the rows that merely look best as stored.
 */
function skewedTarget(faces: Face[], far: Set<string>, query: Float32Array): ScanTarget {
  const D = DESCRIPTOR_LENGTH;
  const rows = new Int8Array(faces.length * D);
  const errors = faces.map((f, row) => {
    const skewed = far.has(f.id) ? f.vector.map((x, i) => x - 0.3 * query[i]!) : f.vector;
    const stored = quantise(skewed);
    rows.set(stored.values, row * D);
    const unit = dequantise(stored.values, stored.invNorm, new Float32Array(D));
    return Math.sqrt(unit.reduce((s, x, i) => s + (x - f.vector[i]!) ** 2, 0));
  });
  return {
    precision: 'i8',
    size: faces.length,
    maxRowError: Math.max(...errors),
    nativeRows: () => rows,
    scoreRow: (row, q) => dot(faces[row]!.vector, q),
    rowError: (row) => errors[row]!,
    idAt: (row) => faces[row]!.id,
  };
}

describe('exact scan', () => {
  it.each([
    [1, 1, 'f32'],
    [7, 3, 'f32'],
    [20, 20, 'f32'],
    [500, 1, 'f32'],
    [500, 10, 'f32'],
    [3000, 100, 'f32'],
    [1, 1, 'i8'],
    [20, 20, 'i8'],
    [500, 1, 'i8'],
    [3000, 100, 'i8'],
  ] as const)(
    'agrees with float32 cosine on %d faces, limit %d (%s)',
    (count, limit, precision) => {
      const { faces, people, gauss } = syntheticGallery(count, count + limit);
      const matrix = matrixOf(faces, precision);
      for (let q = 0; q < 20; q++) {
        const query = nearby(people[q % people.length]!, gauss);
        expect(matrix.search(query, limit)).toEqual(bruteForce(faces, query, limit));
      }
    },
  );

  it.each(['f32', 'i8'] as const)(
    'agrees across the multi-threaded path (40,000 faces, %s)',
    (precision) => {
      const { faces, people, gauss } = syntheticGallery(40_000, 11);
      const matrix = matrixOf(faces, precision);
      for (let q = 0; q < 5; q++) {
        const query = nearby(people[q]!, gauss);
        expect(matrix.search(query, 5)).toEqual(bruteForce(faces, query, 5));
      }
    },
  );

  it.each(['f32', 'i8'] as const)('breaks ties by id, even past the limit (%s)', (precision) => {
    const { faces, gauss, people } = syntheticGallery(200, 3);
    const twin = faces[17]!.vector;
    const twins = ['t9', 't1', 't5', 't3', 't7'].map((id) => ({ id, vector: twin }));
    const all = [...faces, ...twins];
    const matrix = matrixOf(all, precision);
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

  it.each(['f32', 'i8'] as const)(
    'stays exact after deletes and replacements (%s)',
    (precision) => {
      const { faces, people, gauss } = syntheticGallery(1000, 9);
      const matrix = matrixOf(faces, precision);
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
    },
  );

  // Noise 0.05: like re-crops of one photo, float32 cosines to a probe ~0.001 apart. Noise
  // 0.005: like re-encodes, closer than int8 resolves, so int8 ranks them about at random.
  it.each([
    [0.05, 31],
    [0.005, 32],
  ])('answers near-ties (noise %d) in int8 storage exactly as float32', (noise, seed) => {
    const gauss = seededGauss(seed);
    const centre = randomUnit(gauss);
    const faces = Array.from({ length: 3000 }, (_, i) => ({
      id: `n${String(i).padStart(5, '0')}`,
      vector: nearby(centre, gauss, noise),
    }));
    faces.push({ id: 'n00000b', vector: faces[0]!.vector });
    const matrix = matrixOf(faces, 'i8');
    let int8Misses = 0;
    for (let q = 0; q < 30; q++) {
      const query = nearby(centre, gauss, 0.3);
      const truth = bruteForce(faces, query, 10);
      expect(matrix.search(query, 10)).toEqual(truth);
      int8Misses += int8TopOne(faces, query) === truth[0]!.id ? 0 : 1;
    }
    expect(int8Misses).toBeGreaterThan(0);
    expect(matrix.search(faces[0]!.vector, 2).map((s) => s.id)).toEqual(['n00000', 'n00000b']);
    expect(matrix.search(faces[0]!.vector, 1)[0]!.cosine).toBe(
      dot(faces[0]!.vector, faces[0]!.vector),
    );
  });

  it('reaches rows whose stored form looks far worse than their float32 one', () => {
    const { faces, people, gauss } = syntheticGallery(3000, 41, 100);
    for (let q = 0; q < 5; q++) {
      const query = nearby(people[q]!, gauss);
      const truth = bruteForce(faces, query, 10);
      const target = skewedTarget(faces, new Set(truth.map((s) => s.id)), query);
      expect(exactTopK(target, query, 10)).toEqual(truth);
    }
  });

  it('returns nothing from an empty matrix', () => {
    expect(new ListMatrix().search(new Float32Array(DESCRIPTOR_LENGTH), 3)).toEqual([]);
  });
});
