import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../../src/matcher/id-index.ts';
import { seededRandom } from '../../helpers/synthetic-descriptors.ts';

describe('id index', () => {
  it('agrees with a Map through random inserts, moves and deletes', () => {
    const random = seededRandom(3);
    const ids: string[] = [];
    const index = new IdIndex((row) => ids[row]!);
    const reference = new Map<string, number>();
    for (let step = 0; step < 20_000; step++) {
      const roll = random();
      if (roll < 0.6 || ids.length === 0) {
        const id = crypto.randomUUID();
        ids.push(id);
        index.set(id, ids.length - 1);
        reference.set(id, ids.length - 1);
      } else {
        const row = Math.floor(random() * ids.length);
        const id = ids[row]!;
        index.delete(id);
        reference.delete(id);
        const last = ids.length - 1;
        if (row !== last) {
          index.set(ids[last]!, row);
          reference.set(ids[last]!, row);
          ids[row] = ids[last]!;
        }
        ids.pop();
      }
    }
    expect(index.size).toBe(reference.size);
    for (const [id, row] of reference) {
      expect(index.get(id)).toBe(row);
    }
    expect(index.get('not-there')).toBeUndefined();
    expect(index.delete('not-there')).toBe(false);
  });

  it('finds ids whose hashes collide in one probe run', () => {
    const ids = Array.from({ length: 64 }, (_, i) => `id-${i}`);
    const index = new IdIndex((row) => ids[row]!);
    ids.forEach((id, row) => {
      index.set(id, row);
    });
    for (const id of ids.filter((_, i) => i % 3 === 0)) {
      expect(index.delete(id)).toBe(true);
    }
    ids.forEach((id, row) => {
      expect(index.get(id)).toBe(row % 3 === 0 ? undefined : row);
    });
  });
});
