import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESCRIPTOR_LENGTH } from '../../../src/descriptors/index.ts';
import { createHnsw, viewHnsw } from '../../../src/matcher/index/hnsw.ts';
import { IndexedList } from '../../../src/matcher/index/indexed-list.ts';
import { ListMatrix } from '../../../src/matcher/index.ts';
import { bruteForce, nearby, syntheticGallery } from '../../helpers/synthetic-descriptors.ts';

const INFO = { buildId: 'b1', builtAt: 1, precision: 'i8' as const };
const { faces, people, gauss } = syntheticGallery(600, 8);
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lunette-graph-'));
  file = path.join(dir, 'graph.usearch');
  const graph = createHnsw(DESCRIPTOR_LENGTH, 'i8');
  const vectors = new Float32Array(faces.length * DESCRIPTOR_LENGTH);
  faces.forEach((f, i) => {
    vectors.set(f.vector, i * DESCRIPTOR_LENGTH);
  });
  graph.add(
    BigUint64Array.from(faces, (_, i) => BigInt(i)),
    vectors,
    1,
  );
  graph.save(file);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function open(
  live: { id: string; vector: Float32Array }[],
  dirty: string[] = [],
  precision: 'f32' | 'i8' = 'f32',
) {
  const matrix = new ListMatrix(precision);
  for (const f of live) {
    matrix.set(f.id, f.vector);
  }
  const keyIds = faces.map((f) => f.id);
  const list = new IndexedList(
    viewHnsw(file, DESCRIPTOR_LENGTH, 'i8'),
    keyIds,
    matrix,
    INFO,
    new Set(dirty),
  );
  return { list, matrix };
}

describe('indexed list', () => {
  it.each(['f32', 'i8'] as const)(
    'answers like the exact scan when nothing changed (%s)',
    (precision) => {
      const { list } = open(faces, [], precision);
      expect(list).toMatchObject({ size: 600, pending: 0, removed: 0 });
      for (let p = 0; p < 20; p++) {
        const query = nearby(people[p]!, gauss);
        expect(list.search(query, 5)).toEqual(bruteForce(faces, query, 5));
      }
    },
  );

  it('sends faces changed during the build to the delta and counts faces gone', () => {
    const live = faces.slice(10);
    const { list } = open(live, [faces[20]!.id, faces[21]!.id]);
    expect(list).toMatchObject({ size: 588, pending: 2, removed: 12 });
    const query = faces[20]!.vector;
    expect(list.search(query, 1)[0]!.id).toBe(faces[20]!.id);
    expect(list.search(faces[3]!.vector, 10).map((s) => s.id)).not.toContain(faces[3]!.id);
  });

  it('scores a replaced descriptor from the delta, not from the graph', () => {
    const { list, matrix } = open(faces);
    const moved = nearby(people[50]!, gauss, 0.05);
    const outcome = matrix.set(faces[0]!.id, moved);
    list.onSet(faces[0]!.id, moved, outcome);
    expect(list).toMatchObject({ pending: 1, removed: 1 });
    const top = list.search(people[50]!, 1)[0]!;
    expect(top.id).toBe(faces[0]!.id);
    expect(list.search(faces[0]!.vector, 20).filter((s) => s.id === faces[0]!.id)).toHaveLength(0);
  });

  it('widens past removed faces so the answer stays full', () => {
    const query = nearby(people[4]!, gauss);
    const nearest = bruteForce(faces, query, 40).map((s) => s.id);
    const live = faces.filter((f) => !nearest.includes(f.id));
    const { list, matrix } = open(faces);
    for (const id of nearest) {
      matrix.delete(id);
      list.onDelete(id);
    }
    const result = list.search(query, 5);
    expect(result).toHaveLength(5);
    expect(result).toEqual(bruteForce(live, query, 5));
  });
});
