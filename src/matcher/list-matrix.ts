/**
 * The descriptors of one list in one contiguous typed array (row i = face ids[i]): float32, or
 * int8 with each row's inverse norm. Grown by half again, compacted by swap-remove, and scanned
 * at native speed by the exact scan.
 */
import { DESCRIPTOR_LENGTH } from '../descriptors/index.ts';
import { exactTopK, type ScanTarget } from './exact-scan.ts';
import { IdIndex } from './id-index.ts';
import { dequantise, quantiseInto, type StoragePrecision } from './quantize.ts';
import type { Scored } from './scored.ts';

/** What `set` did to the matrix. */
export type SetOutcome = 'added' | 'changed' | 'unchanged';

const D = DESCRIPTOR_LENGTH;
const MIN_ROWS = 16;

/** A growable matrix of unit descriptors keyed by face id. */
export class ListMatrix implements ScanTarget {
  private values: Float32Array | Int8Array;
  private invNorms: Float32Array;
  private readonly ids: string[] = [];
  private readonly rowOf = new IdIndex((row) => this.ids[row]!);
  private readonly scratch = new Int8Array(D);

  constructor(readonly precision: StoragePrecision = 'f32') {
    this.values = this.allocate(MIN_ROWS);
    this.invNorms = new Float32Array(precision === 'i8' ? MIN_ROWS : 0);
  }

  /** Number of descriptors held. */
  get size(): number {
    return this.ids.length;
  }

  /** Bytes held by the descriptor rows (capacity included). */
  get byteLength(): number {
    return this.values.byteLength + this.invNorms.byteLength;
  }

  /** Makes room for `rows` descriptors without further growth. */
  reserve(rows: number): void {
    const capacity = this.values.length / D;
    if (rows <= capacity) {
      return;
    }
    const values = this.allocate(rows);
    values.set(this.values.subarray(0, this.size * D));
    this.values = values;
    if (this.precision === 'i8') {
      const norms = new Float32Array(rows);
      norms.set(this.invNorms.subarray(0, this.size));
      this.invNorms = norms;
    }
  }

  /** Adds or replaces the descriptor of `id`. */
  set(id: string, descriptor: Float32Array): SetOutcome {
    const existing = this.rowOf.get(id);
    const row = existing ?? this.size;
    if (existing === undefined && (row + 1) * D > this.values.length) {
      this.reserve(Math.max(MIN_ROWS, Math.ceil((row + 1) * 1.5)));
    }
    const changed = this.writeRow(row, descriptor);
    if (existing !== undefined) {
      return changed ? 'changed' : 'unchanged';
    }
    this.ids.push(id);
    this.rowOf.set(id, row);
    return 'added';
  }

  /** Removes `id`; the last row moves into its place. */
  delete(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) {
      return false;
    }
    // Forget `id` while its row still names it, then move the last row into the gap.
    this.rowOf.delete(id);
    const last = this.ids.length - 1;
    if (row !== last) {
      const lastId = this.ids[last]!;
      this.values.copyWithin(row * D, last * D, (last + 1) * D);
      if (this.precision === 'i8') {
        this.invNorms[row] = this.invNorms[last]!;
      }
      this.rowOf.set(lastId, row);
      this.ids[row] = lastId;
    }
    this.ids.pop();
    return true;
  }

  /** True when `id` is held. */
  has(id: string): boolean {
    return this.rowOf.get(id) !== undefined;
  }

  /** The held string equal to `id` (one copy per face), or undefined when not held. */
  canonicalId(id: string): string | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.ids[row];
  }

  /** Face id of `row`. */
  idAt(row: number): string {
    return this.ids[row]!;
  }

  /** A copy of the held face ids in row order. */
  faceIds(): string[] {
    return [...this.ids];
  }

  /** Cosine of `query` to the stored descriptor of `id`, or undefined when not held. */
  score(id: string, query: Float32Array): number | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.scoreRow(row, query);
  }

  /** Cosine of `query` to the stored row (float32: dot; int8: dot / |row|). */
  scoreRow(row: number, query: Float32Array): number {
    const base = row * D;
    let sum = 0;
    for (let i = 0; i < D; i++) {
      sum += this.values[base + i]! * query[i]!;
    }
    return this.precision === 'f32' ? sum : sum * this.invNorms[row]!;
  }

  /** Writes the unit float32 form of `id`'s descriptor into `out`; false when not held. */
  unitVectorInto(id: string, out: Float32Array): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) {
      return false;
    }
    const stored = this.values.subarray(row * D, (row + 1) * D);
    if (stored instanceof Float32Array) {
      out.set(stored);
    } else {
      dequantise(stored, this.invNorms[row]!, out);
    }
    return true;
  }

  /** The rows as one typed array starting at byte 0 of its buffer. */
  nativeRows(): Float32Array | Int8Array {
    return this.values.subarray(0, this.size * D);
  }

  /** The `limit` best rows by cosine to the unit `query`, best first, ties by id. */
  search(query: Float32Array, limit: number): Scored[] {
    return exactTopK(this, query, limit);
  }

  private allocate(rows: number): Float32Array | Int8Array {
    return this.precision === 'f32' ? new Float32Array(rows * D) : new Int8Array(rows * D);
  }

  /** Stores `descriptor` at `row`; true when the stored bytes changed. */
  private writeRow(row: number, descriptor: Float32Array): boolean {
    const base = row * D;
    if (this.values instanceof Float32Array) {
      const changed = !sameValues(this.values, base, descriptor);
      this.values.set(descriptor, base);
      return changed;
    }
    const invNorm = quantiseInto(descriptor, this.scratch);
    const changed =
      !sameValues(this.values, base, this.scratch) || this.invNorms[row] !== Math.fround(invNorm);
    this.values.set(this.scratch, base);
    this.invNorms[row] = invNorm;
    return changed;
  }
}

function sameValues(
  values: Float32Array | Int8Array,
  base: number,
  other: Float32Array | Int8Array,
): boolean {
  for (let i = 0; i < other.length; i++) {
    if (values[base + i] !== other[i]) {
      return false;
    }
  }
  return true;
}
