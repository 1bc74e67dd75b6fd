/**
 * The descriptors of one list in one contiguous Float32Array (row i = face ids[i]), grown by
 * doubling and compacted by swap-remove, so a scan walks memory in order.
 */
import { DESCRIPTOR_LENGTH } from '../descriptors/index.ts';

/** One scored candidate. */
export interface Scored {
  id: string;
  cosine: number;
}

/** A growable matrix of unit descriptors keyed by face id. */
export class ListMatrix {
  private data = new Float32Array(DESCRIPTOR_LENGTH * 16);
  private readonly ids: string[] = [];
  private readonly rowOf = new Map<string, number>();

  /** Number of descriptors held. */
  get size(): number {
    return this.ids.length;
  }

  /** Adds or replaces the descriptor of `id`. */
  set(id: string, descriptor: Float32Array): void {
    const existing = this.rowOf.get(id);
    if (existing !== undefined) {
      this.data.set(descriptor, existing * DESCRIPTOR_LENGTH);
      return;
    }
    if ((this.ids.length + 1) * DESCRIPTOR_LENGTH > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(descriptor, this.ids.length * DESCRIPTOR_LENGTH);
    this.rowOf.set(id, this.ids.length);
    this.ids.push(id);
  }

  /** Removes `id`; the last row moves into its place. */
  delete(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) {
      return false;
    }
    const last = this.ids.length - 1;
    if (row !== last) {
      const lastId = this.ids[last]!;
      this.data.copyWithin(row * DESCRIPTOR_LENGTH, last * DESCRIPTOR_LENGTH, this.ids.length * DESCRIPTOR_LENGTH);
      this.ids[row] = lastId;
      this.rowOf.set(lastId, row);
    }
    this.ids.pop();
    this.rowOf.delete(id);
    return true;
  }

  /** True when `id` is held. */
  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** The `limit` best rows by cosine to the unit `query`, best first, ties by id. */
  search(query: Float32Array, limit: number): Scored[] {
    const scored: Scored[] = [];
    for (let row = 0; row < this.ids.length; row++) {
      const base = row * DESCRIPTOR_LENGTH;
      let sum = 0;
      for (let i = 0; i < DESCRIPTOR_LENGTH; i++) {
        sum += this.data[base + i]! * query[i]!;
      }
      scored.push({ id: this.ids[row]!, cosine: sum });
    }
    return rankScored(scored, limit);
  }
}

/** Sorts best first (ties broken by id) and keeps `limit`. */
export function rankScored(scored: Scored[], limit: number): Scored[] {
  scored.sort((a, b) => b.cosine - a.cosine || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return scored.slice(0, limit);
}
