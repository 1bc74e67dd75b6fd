/**
 * Clustering of unit descriptors by average linkage over candidate edges. Two groups merge when
 * the mean cosine over all their cross pairs reaches the threshold; that mean is exact and cheap
 * because it equals dot(sum A, sum B) / (|A|·|B|). Unlike single linkage, one look-alike pair
 * cannot chain two people together. Pure.
 */
import { DESCRIPTOR_LENGTH } from '../../descriptors/index.ts';

const D = DESCRIPTOR_LENGTH;

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
    const idx = new Uint32Array(this.length);
    for (let i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    return idx.sort((x, y) => this.cosine[y]! - this.cosine[x]! || x - y);
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

function mergePass(groups: Groups, edges: EdgeList, order: Uint32Array, minCosine: number) {
  let merged = 0;
  for (const e of order) {
    const [i, j] = edges.at(e);
    const a = groups.find(i);
    const b = groups.find(j);
    if (a !== b && groups.meanCosine(a, b) >= minCosine) {
      groups.merge(a, b);
      merged++;
    }
  }
  return merged;
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
 * repeated (at most `passes` times) while it still merges. Largest cluster first.
 */
export function clusterByAverageLinkage(
  rows: Float32Array,
  n: number,
  edges: EdgeList,
  minCosine: number,
  passes = 3,
): Cluster[] {
  const groups = new Groups(rows, n);
  const order = edges.order();
  for (let pass = 0; pass < passes; pass++) {
    if (mergePass(groups, edges, order, minCosine) === 0) {
      break;
    }
  }
  const clusters = collect(groups, rows, n);
  return clusters.sort(
    (a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!,
  );
}
