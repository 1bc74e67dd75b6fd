/** A growable row-major matrix of descriptors with the id of each row. Pure. */
import { DESCRIPTOR_LENGTH } from '../../descriptors/index.ts';

const D = DESCRIPTOR_LENGTH;

/** Descriptors collected row by row, e.g. while paging faces out of the database. */
export class DescriptorRows {
  readonly ids: string[] = [];
  private values = new Float32Array(D * 256);

  /** Rows held. */
  get size(): number {
    return this.ids.length;
  }

  /** Appends the descriptor of `id`. */
  push(id: string, vector: Float32Array): void {
    if ((this.ids.length + 1) * D > this.values.length) {
      const grown = new Float32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values.set(vector, this.ids.length * D);
    this.ids.push(id);
  }

  /** The rows as one exactly sized matrix. */
  matrix(): Float32Array {
    return this.values.slice(0, this.ids.length * D);
  }
}
