/**
 * A compact map from face id to a number (a row or a key), for galleries of millions of faces:
 * an open-addressing table of 32-bit slots that compares through the owner's own id array, so
 * it costs about 8 bytes per face where a JavaScript Map costs about 100.
 */

const EMPTY = -1;
const MIN_SLOTS = 16;

/** FNV-1a over the UTF-16 code units of `id`. */
function hashOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/** Maps ids to non-negative numbers; `idOf(n)` must return the id stored for `n`. */
export class IdIndex {
  private slots = new Int32Array(MIN_SLOTS).fill(EMPTY);
  private count = 0;

  constructor(private readonly idOf: (value: number) => string) {}

  /** Number of ids held. */
  get size(): number {
    return this.count;
  }

  /** The number stored for `id`, or undefined. */
  get(id: string): number | undefined {
    const at = this.find(id);
    return at === undefined ? undefined : this.slots[at];
  }

  /** Stores `value` for `id` (replacing any value it had). */
  set(id: string, value: number): void {
    const at = this.find(id);
    if (at !== undefined) {
      this.slots[at] = value;
      return;
    }
    if ((this.count + 1) * 2 > this.slots.length) {
      this.resize(this.slots.length * 2);
    }
    this.place(hashOf(id), value);
    this.count++;
  }

  /** Removes `id`; true when it was held. */
  delete(id: string): boolean {
    let at = this.find(id);
    if (at === undefined) {
      return false;
    }
    const mask = this.slots.length - 1;
    // Backward-shift deletion: pull later entries of the probe run into the gap.
    for (let next = (at + 1) & mask; this.slots[next] !== EMPTY; next = (next + 1) & mask) {
      const home = hashOf(this.idOf(this.slots[next]!)) & mask;
      if (((next - home) & mask) >= ((next - at) & mask)) {
        this.slots[at] = this.slots[next]!;
        at = next;
      }
    }
    this.slots[at] = EMPTY;
    this.count--;
    return true;
  }

  private find(id: string): number | undefined {
    const mask = this.slots.length - 1;
    for (let at = hashOf(id) & mask; this.slots[at] !== EMPTY; at = (at + 1) & mask) {
      if (this.idOf(this.slots[at]!) === id) {
        return at;
      }
    }
    return undefined;
  }

  private place(hash: number, value: number): void {
    const mask = this.slots.length - 1;
    let at = hash & mask;
    while (this.slots[at] !== EMPTY) {
      at = (at + 1) & mask;
    }
    this.slots[at] = value;
  }

  private resize(length: number): void {
    const old = this.slots;
    this.slots = new Int32Array(length).fill(EMPTY);
    for (const value of old) {
      if (value !== EMPTY) {
        this.place(hashOf(this.idOf(value)), value);
      }
    }
  }
}
