import { describe, expect, it } from 'vitest';
import { dot } from '../../../src/descriptors/index.ts';
import { HnswScan } from '../../../src/tasks/internal/hnsw-scan.ts';
import { NeighbourScan } from '../../../src/tasks/internal/neighbour-scan.ts';
import { bruteForce, syntheticGallery } from '../../helpers/synthetic-descriptors.ts';

const { faces } = syntheticGallery(3000, 21, 5);
const matrix = new Float32Array(faces.length * 512);
faces.forEach((f, i) => {
  matrix.set(f.vector, i * 512);
});
const QUERIES = 200;

function neighbours(scan: NeighbourScan | HnswScan, k: number) {
  const found: { row: number; cosine: number }[][] = Array.from({ length: QUERIES }, () => []);
  for (let from = 0; from < QUERIES; from += scan.blockSize()) {
    const count = Math.min(scan.blockSize(), QUERIES - from);
    scan.search(matrix.slice(from * 512, (from + count) * 512), count, k, (q, row, cosine) => {
      found[from + q]!.push({ row, cosine });
    });
  }
  return found;
}

describe('neighbour scans', () => {
  it('finds exactly the brute-force top k, scored in double precision', () => {
    const found = neighbours(new NeighbourScan(matrix, faces.length), 10);
    for (let q = 0; q < QUERIES; q++) {
      const expected = bruteForce(faces, faces[q]!.vector, 10);
      expect(found[q]!.map((f) => faces[f.row]!.id).sort()).toEqual(
        expected.map((e) => e.id).sort(),
      );
      for (const f of found[q]!) {
        expect(f.cosine).toBe(dot(faces[q]!.vector, faces[f.row]!.vector));
      }
    }
  });

  it('copies a matrix that does not start its own buffer', () => {
    const padded = new Float32Array(matrix.length + 512);
    padded.set(matrix, 512);
    const scan = new NeighbourScan(padded.subarray(512), faces.length);
    const hits: number[] = [];
    scan.search(matrix.slice(0, 512), 1, 1, (_q, row) => hits.push(row));
    expect(hits).toEqual([0]);
  });

  it('builds an HNSW graph in batches and recalls the neighbours above a threshold', () => {
    const graph = new HnswScan(matrix, faces.length);
    let builds = 1;
    while (!graph.build()) {
      builds++;
    }
    expect(builds).toBeGreaterThan(5);
    expect(graph.built).toBe(1);
    const found = neighbours(graph, 10);
    let hits = 0;
    let wanted = 0;
    for (let q = 0; q < QUERIES; q++) {
      const close = bruteForce(faces, faces[q]!.vector, 10).filter((e) => e.cosine >= 0.3);
      const truth = new Set(close.map((e) => e.id));
      wanted += truth.size;
      hits += found[q]!.filter((f) => truth.has(faces[f.row]!.id)).length;
      for (const f of found[q]!) {
        expect(f.cosine).toBe(dot(faces[q]!.vector, faces[f.row]!.vector));
      }
    }
    expect(wanted).toBeGreaterThanOrEqual(QUERIES * 5);
    expect(hits / wanted).toBeGreaterThan(0.99);
  });
});
