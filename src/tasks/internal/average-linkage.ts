/**
 * Clustering of unit descriptors by average linkage over candidate edges. Two groups merge when
 * the mean cosine over all their cross pairs reaches the threshold; that mean is exact and cheap
 * because it equals dot(sum A, sum B) / (|A|·|B|). Unlike single linkage, one look-alike pair
 * cannot chain two people together. Pure.
 */
import { DESCRIPTOR_LENGTH } from '../../descriptors/index.ts';

const D = DESCRIPTOR_LENGTH;
/** Edges whose order packs into one double: 32 bits of cosine, 21 of index. */
const PACKED_MAX = 2 ** 21;

/** A growable list of scored pairs (row indices and their cosine). */
export class EdgeList {
  private from = new Int32Array(1024);
  private to = new Int32Array(1024);
  private cosine = new Float32Array(1024);
  length = 0;

  /** Adds the pair (a, b) with its cosine. */
  push(a: number, b: number, cosine: number): void {
    if (this.length === this.from.length) {
      this.grow();
    }
    this.from[this.length] = a;
    this.to[this.length] = b;
    this.cosine[this.length] = cosine;
    this.length++;
  }

  /** Edge indices, highest cosine first (ties by insertion order). */
  order(): Uint32Array {
    if (this.length > PACKED_MAX) {
      const idx = Uint32Array.from({ length: this.length }, (_, i) => i);
      return idx.sort((x, y) => this.cosine[y]! - this.cosine[x]! || x - y);
    }
    // One native numeric sort of (descending cosine, index) packed into exact doubles.
    const bits = new Uint32Array(this.cosine.buffer, 0, this.length);
    const keys = new Float64Array(this.length);
    for (let i = 0; i < keys.length; i++) {
      const b = bits[i]!;
      const ascending = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
      keys[i] = (0xffffffff - ascending) * PACKED_MAX + i;
    }
    keys.sort();
    return Uint32Array.from(keys, (k) => k % PACKED_MAX);
  }

  /** The pair and cosine of edge `i`. */
  at(i: number): [number, number, number] {
    return [this.from[i]!, this.to[i]!, this.cosine[i]!];
  }

  private grow(): void {
    const size = this.from.length * 2;
    const from = new Int32Array(size);
    const to = new Int32Array(size);
    const cosine = new Float32Array(size);
    from.set(this.from);
    to.set(this.to);
    cosine.set(this.cosine);
    this.from = from;
    this.to = to;
    this.cosine = cosine;
  }
}

/** One cluster: row indices, and the row nearest the cluster's mean. */
export interface Cluster {
  members: number[];
  representative: number;
}

class Groups {
  readonly parent: Int32Array;
  readonly size: Int32Array;
  private readonly sums = new Map<number, Float64Array>();

  constructor(
    private readonly rows: Float32Array,
    n: number,
  ) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
    this.size = new Int32Array(n).fill(1);
  }

  find(i: number): number {
    let x = i;
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }

  /** Sum of the member rows of root `r`. */
  sum(r: number): Float32Array | Float64Array {
    return this.sums.get(r) ?? this.rows.subarray(r * D, (r + 1) * D);
  }

  meanCosine(a: number, b: number): number {
    return dotOf(this.sum(a), this.sum(b)) / (this.size[a]! * this.size[b]!);
  }

  merge(a: number, b: number): void {
    const [big, small] = this.size[a]! >= this.size[b]! ? [a, b] : [b, a];
    const total = Float64Array.from(this.sum(big));
    const other = this.sum(small);
    for (let k = 0; k < D; k++) {
      total[k]! += other[k]!;
    }
    this.sums.set(big, total);
    this.sums.delete(small);
    this.parent[small] = big;
    this.size[big]! += this.size[small]!;
  }
}

function dotOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < D; k++) {
    s += a[k]! * b[k]!;
  }
  return s;
}

function collect(groups: Groups, rows: Float32Array, n: number): Cluster[] {
  const byRoot = new Map<number, Cluster & { best: number }>();
  for (let i = 0; i < n; i++) {
    const root = groups.find(i);
    const score = dotOf(rows.subarray(i * D, (i + 1) * D), groups.sum(root));
    const cluster = byRoot.get(root);
    if (!cluster) {
      byRoot.set(root, { members: [i], representative: i, best: score });
    } else {
      cluster.members.push(i);
      if (score > cluster.best) {
        cluster.best = score;
        cluster.representative = i;
      }
    }
  }
  return [...byRoot.values()].map(({ members, representative }) => ({ members, representative }));
}

/**
 * Groups the `n` unit rows of `rows` (row-major, 512 floats each): edges are visited best first
 * and merge their groups when the groups' mean cross cosine is at least `minCosine`; the walk is
 * repeated (at most `passes` times) while it still merges. Runs a budget of edges at a time.
 */
export class AverageLinkage {
  private readonly groups: Groups;
  private order: Uint32Array | undefined;
  private pass = 0;
  private next = 0;
  private merged = 0;

  constructor(
    private readonly rows: Float32Array,
    private readonly n: number,
    private readonly edges: EdgeList,
    private readonly minCosine: number,
    private readonly passes = 3,
  ) {
    this.groups = new Groups(rows, n);
  }

  /** Puts rows `i` and `j` in one group whatever their similarity (one track, one person). */
  join(i: number, j: number): void {
    const a = this.groups.find(i);
    const b = this.groups.find(j);
    if (a !== b) {
      this.groups.merge(a, b);
    }
  }

  /** Visits up to `budget` edges; true once the last pass is over. */
  advance(budget: number): boolean {
    this.order ??= this.edges.order();
    const end = Math.min(this.next + budget, this.order.length);
    for (; this.next < end; this.next++) {
      const [i, j] = this.edges.at(this.order[this.next]!);
      const a = this.groups.find(i);
      const b = this.groups.find(j);
      if (a !== b && this.groups.meanCosine(a, b) >= this.minCosine) {
        this.groups.merge(a, b);
        this.merged++;
      }
    }
    if (this.next < this.order.length) {
      return false;
    }
    this.pass++;
    const again = this.merged > 0 && this.pass < this.passes;
    this.next = 0;
    this.merged = 0;
    return !again;
  }

  /** The clusters, largest first (ties by their first row). */
  clusters(): Cluster[] {
    return collect(this.groups, this.rows, this.n).sort(
      (a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!,
    );
  }
}

/** Runs {@link AverageLinkage} to the end in one go. */
export function clusterByAverageLinkage(
  rows: Float32Array,
  n: number,
  edges: EdgeList,
  minCosine: number,
): Cluster[] {
  const linkage = new AverageLinkage(rows, n, edges, minCosine);
  while (!linkage.advance(Number.MAX_SAFE_INTEGER)) {}
  return linkage.clusters();
}
