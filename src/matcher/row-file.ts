/**
 * Float32 copies of a reduced-precision matrix's rows, kept out of process memory in a file
 * under the data dir and read back by position: the exact re-rank reads a few rows per query.
 * The file is unlinked as soon as it is opened, so it never outlives the process (a crash
 * leaves nothing behind) and is rebuilt from libSQL at every start. Rows appended in order (a
 * start-up load) are written in batches. A row file dropped without `close` is closed when it
 * is garbage-collected.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Appended rows held back and written in one call. */
const BATCH_ROWS = 64;

/** Closes the descriptor of a row file that was garbage-collected while open. */
const unclosed = new FinalizationRegistry<number>((fd) => closeSync(fd));

function bytesOf(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Fixed-length float32 rows in an anonymous file, addressed by row number. */
export class RowFile {
  private fd: number | undefined;
  private closed = false;
  private readonly rowBytes: number;
  private readonly scratch: Float32Array;
  /** Rows [batchStart, batchStart + batchRows) not yet written. */
  private readonly batch: Uint8Array;
  private batchStart = 0;
  private batchRows = 0;

  /**
   * @param dir folder the file is created in (and at once unlinked from)
   * @param rowLength floats per row
   */
  constructor(
    private readonly dir: string,
    rowLength: number,
  ) {
    this.rowBytes = rowLength * Float32Array.BYTES_PER_ELEMENT;
    this.scratch = new Float32Array(rowLength);
    this.batch = new Uint8Array(BATCH_ROWS * this.rowBytes);
  }

  /** Stores `values` (one row) at `row`. */
  write(row: number, values: Float32Array): void {
    if (this.batchRows > 0 && row !== this.batchStart + this.batchRows) {
      this.flush();
    }
    if (this.batchRows === 0) {
      this.batchStart = row;
    }
    this.batch.set(bytesOf(values), this.batchRows * this.rowBytes);
    this.batchRows++;
    if (this.batchRows === BATCH_ROWS) {
      this.flush();
    }
  }

  /** Reads the row at `row` into `out`. */
  readInto(row: number, out: Float32Array): Float32Array {
    this.flush();
    const read = readSync(this.open(), bytesOf(out), 0, this.rowBytes, row * this.rowBytes);
    if (read !== this.rowBytes) {
      throw new Error(`row file: short read at row ${row} (${read} bytes)`);
    }
    return out;
  }

  /** Copies row `from` over row `to`. */
  copy(from: number, to: number): void {
    this.write(to, this.readInto(from, this.scratch));
  }

  /** Closes the file and frees its space; the rows can no longer be read or written. */
  close(): void {
    this.batchRows = 0;
    this.closed = true;
    if (this.fd !== undefined) {
      unclosed.unregister(this);
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private flush(): void {
    if (this.batchRows === 0) {
      return;
    }
    // The batch is kept until written whole, so a failed write fails every later use loudly.
    const bytes = this.batchRows * this.rowBytes;
    const written = writeSync(this.open(), this.batch, 0, bytes, this.batchStart * this.rowBytes);
    if (written !== bytes) {
      throw new Error(`row file: short write at row ${this.batchStart} (${written} bytes)`);
    }
    this.batchRows = 0;
  }

  private open(): number {
    if (this.closed) {
      throw new Error('row file: used after close');
    }
    if (this.fd === undefined) {
      mkdirSync(this.dir, { recursive: true });
      const file = path.join(this.dir, `rows-${randomUUID()}.f32`);
      this.fd = openSync(file, 'w+', 0o600);
      unlinkSync(file);
      unclosed.register(this, this.fd, this);
    }
    return this.fd;
  }
}
