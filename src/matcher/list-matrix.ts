/**
 * The descriptors of one list in one contiguous typed array (row i = face ids[i]): float32, or
 * int8 with each row's quantisation error, the float32 rows then kept in a row file outside
 * process memory for the exact re-rank. Grown by half again, compacted by swap-remove, and
 * scanned at native speed by the exact scan.
 */
import { tmpdir } from 'node:os';
import { DESCRIPTOR_LENGTH, dot } from '../descriptors/index.ts';
import { exactTopK, type ScanTarget } from './exact-scan.ts';
import { IdIndex } from './id-index.ts';
import { quantisationError, quantiseInto, type StoragePrecision } from './quantize.ts';
import { RowFile } from './row-file.ts';
import type { Scored } from './scored.ts';

/** What `set` did to the matrix. */
export type SetOutcome = 'added' | 'changed' | 'unchanged';

const D = DESCRIPTOR_LENGTH;
const MIN_ROWS = 16;

/** A growable matrix of unit descriptors keyed by face id. */
export class ListMatrix implements ScanTarget {
  private values: Float32Array | Int8Array;
  /** Int8 only: per row, the most its stored cosine to a unit query can differ from float32. */
  private errors: Float32Array;
  private largestError = 0;
  /** Int8 only: the float32 rows, outside process memory. */
  private readonly exactRows: RowFile | undefined;
  private readonly ids: string[] = [];
  private readonly rowOf = new IdIndex((row) => this.ids[row]!);
  private readonly scratch = new Int8Array(D);
  private readonly exactScratch = new Float32Array(D);

  /**
   * @param precision storage of the scanned rows
   * @param rowsDir int8 only: folder of the float32 row file (the data dir in the appliance)
   */
  constructor(
    readonly precision: StoragePrecision = 'f32',
    rowsDir: string = tmpdir(),
  ) {
    this.values = this.allocate(MIN_ROWS);
    this.errors = new Float32Array(precision === 'i8' ? MIN_ROWS : 0);
    this.exactRows = precision === 'i8' ? new RowFile(rowsDir, D) : undefined;
  }

  /** Number of descriptors held. */
  get size(): number {
    return this.ids.length;
  }

  /** Bytes of process memory held by the descriptor rows (capacity included). */
  get byteLength(): number {
    return this.values.byteLength + this.errors.byteLength;
  }

  /** At least the quantisation error of every row (0 for float32 storage). */
  get maxRowError(): number {
    return this.largestError;
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
      const errors = new Float32Array(rows);
      errors.set(this.errors.subarray(0, this.size));
      this.errors = errors;
    }
  }

  /** Adds or replaces the descriptor of `id`. */
  set(id: string, descriptor: Float32Array): SetOutcome {
    const existing = this.rowOf.get(id);
    const row = existing ?? this.size;
    if (existing === undefined && (row + 1) * D > this.values.length) {
      this.reserve(Math.max(MIN_ROWS, Math.ceil((row + 1) * 1.5)));
    }
    const changed = existing === undefined || !this.holds(row, descriptor);
    if (changed) {
      this.writeRow(row, descriptor);
    }
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
      if (this.exactRows) {
        this.errors[row] = this.errors[last]!;
        this.exactRows.copy(last, row);
      }
      this.rowOf.set(lastId, row);
      this.ids[row] = lastId;
    }
    this.ids.pop();
    if (this.ids.length === 0) {
      this.largestError = 0;
    }
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

  /** Float32 cosine of `query` to the descriptor of `id`, or undefined when not held. */
  score(id: string, query: Float32Array): number | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.scoreRow(row, query);
  }

  /** Float32 cosine (dot) of `query` to the descriptor at `row`; int8 reads the row file. */
  scoreRow(row: number, query: Float32Array): number {
    if (this.exactRows) {
      return dot(this.exactRows.readInto(row, this.exactScratch), query);
    }
    const base = row * D;
    let sum = 0;
    for (let i = 0; i < D; i++) {
      sum += this.values[base + i]! * query[i]!;
    }
    return sum;
  }

  /** How far the scanned row's cosine to a unit query may sit from `scoreRow`'s. */
  rowError(row: number): number {
    return this.exactRows ? this.errors[row]! : 0;
  }

  /** Writes the float32 descriptor of `id` into `out`; false when not held. */
  unitVectorInto(id: string, out: Float32Array): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) {
      return false;
    }
    if (this.exactRows) {
      this.exactRows.readInto(row, out);
    } else {
      out.set(this.values.subarray(row * D, (row + 1) * D));
    }
    return true;
  }

  /** The rows as one typed array starting at byte 0 of its buffer. */
  nativeRows(): Float32Array | Int8Array {
    return this.values.subarray(0, this.size * D);
  }

  /** The `limit` best rows by float32 cosine to the unit `query`, best first, ties by id. */
  search(query: Float32Array, limit: number): Scored[] {
    return exactTopK(this, query, limit);
  }

  /** Frees the row file (int8); the matrix must not be used afterwards. */
  close(): void {
    this.exactRows?.close();
  }

  private allocate(rows: number): Float32Array | Int8Array {
    return this.precision === 'f32' ? new Float32Array(rows * D) : new Int8Array(rows * D);
  }

  /** True when the float32 descriptor at `row` equals `descriptor`. */
  private holds(row: number, descriptor: Float32Array): boolean {
    if (this.exactRows) {
      return sameValues(this.exactRows.readInto(row, this.exactScratch), 0, descriptor);
    }
    return sameValues(this.values, row * D, descriptor);
  }

  /** Stores `descriptor` at `row`. */
  private writeRow(row: number, descriptor: Float32Array): void {
    if (!this.exactRows) {
      this.values.set(descriptor, row * D);
      return;
    }
    const invNorm = quantiseInto(descriptor, this.scratch);
    const error = Math.fround(quantisationError(descriptor, { values: this.scratch, invNorm }));
    this.values.set(this.scratch, row * D);
    this.errors[row] = error;
    this.largestError = Math.max(this.largestError, this.errors[row]!);
    this.exactRows.write(row, descriptor);
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
