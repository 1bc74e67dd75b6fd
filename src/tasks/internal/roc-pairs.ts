/**
 * The pairs of a ROC over labelled descriptors: every genuine pair (same label), and every
 * impostor pair when there are few enough, else a seeded uniform sample of them. Scored a
 * budget at a time so a task can yield between slices. Pure.
 */
import { DESCRIPTOR_LENGTH } from '../../descriptors/index.ts';

const D = DESCRIPTOR_LENGTH;
/** Genuine pairs scored at most (more are left out and counted). */
export const MAX_GENUINE_PAIRS = 5_000_000;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Genuine and impostor cosines of labelled unit rows. */
export class RocPairs {
  readonly genuine: number[] = [];
  readonly impostor: number[] = [];
  /** True when impostor pairs are a sample rather than all of them. */
  readonly sampled: boolean;
  genuineLeftOut = 0;
  private readonly groups: number[][];
  private readonly n: number;
  private cursor = { i: 0, j: 1, group: 0 };
  private impostorsLeft: number;
  private readonly random: () => number;
  private readonly total: number;

  constructor(
    private readonly matrix: Float32Array,
    private readonly labels: (string | undefined)[],
    impostorCap: number,
    seed = 1,
  ) {
    this.n = labels.length;
    const byLabel = new Map<string, number[]>();
    labels.forEach((label, i) => {
      const group = byLabel.get(label!);
      group ? group.push(i) : byLabel.set(label!, [i]);
    });
    this.groups = [...byLabel.values()].filter((g) => g.length > 1);
    this.sampled = (this.n * (this.n - 1)) / 2 > impostorCap;
    this.impostorsLeft = this.sampled ? impostorCap : 0;
    this.total = this.sampled ? impostorCap + this.genuineTotal() : (this.n * (this.n - 1)) / 2;
    this.random = seeded(seed);
  }

  /** Share of the pairs scored so far, 0–1. */
  get progress(): number {
    return this.total === 0 ? 1 : (this.genuine.length + this.impostor.length) / this.total;
  }

  /** Scores up to `budget` pairs; true once every pair is scored. */
  advance(budget: number): boolean {
    return this.sampled ? this.advanceSampled(budget) : this.advanceAll(budget);
  }

  private genuineTotal(): number {
    return this.groups.reduce((s, g) => s + (g.length * (g.length - 1)) / 2, 0);
  }

  private cosine(a: number, b: number): number {
    let s = 0;
    for (let k = 0; k < D; k++) {
      s += this.matrix[a * D + k]! * this.matrix[b * D + k]!;
    }
    return s;
  }

  private keep(a: number, b: number): void {
    const same = this.labels[a] === this.labels[b];
    if (same && this.genuine.length >= MAX_GENUINE_PAIRS) {
      this.genuineLeftOut++;
      return;
    }
    (same ? this.genuine : this.impostor).push(this.cosine(a, b));
  }

  private advanceAll(budget: number): boolean {
    const c = this.cursor;
    for (let done = 0; done < budget && c.i < this.n - 1; done++) {
      this.keep(c.i, c.j);
      c.j++;
      if (c.j >= this.n) {
        c.i++;
        c.j = c.i + 1;
      }
    }
    return c.i >= this.n - 1;
  }

  private advanceSampled(budget: number): boolean {
    let done = 0;
    const c = this.cursor;
    while (done < budget && c.group < this.groups.length) {
      const g = this.groups[c.group]!;
      this.keep(g[c.i]!, g[c.j]!);
      done++;
      c.j++;
      if (c.j >= g.length) {
        c.i++;
        c.j = c.i + 1;
      }
      if (c.i >= g.length - 1) {
        c.group++;
        c.i = 0;
        c.j = 1;
      }
    }
    for (; done < budget && this.impostorsLeft > 0; done++) {
      this.sampleImpostor();
    }
    return c.group >= this.groups.length && this.impostorsLeft === 0;
  }

  private sampleImpostor(): void {
    for (let tries = 0; tries < 1000; tries++) {
      const a = Math.floor(this.random() * this.n);
      const b = Math.floor(this.random() * this.n);
      if (a !== b && this.labels[a] !== this.labels[b]) {
        this.impostor.push(this.cosine(a, b));
        break;
      }
    }
    this.impostorsLeft--;
  }
}
