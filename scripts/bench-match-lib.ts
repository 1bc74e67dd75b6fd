/**
 * Helpers of `npm run bench:match`: deterministic face ids and synthetic padding rows, a
 * stand-in database that streams rows to the gallery loader, latency percentiles, process
 * memory, and the float16 exact scan the product does not ship (measured for comparison).
 */
import { readFileSync } from 'node:fs';
import usearch from 'usearch';
import { DESCRIPTOR_LENGTH, l2Normalise } from '../src/descriptors/index.ts';
import type { Scored } from '../src/matcher/index.ts';

/** A uuid-shaped face id for row `i`, the same in every process. */
export function faceIdOf(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

/**
 * Synthetic padding rows (timing only), made from the real ones so they sit on the same face
 * manifold: each made-up person is the normalised mean of two random real descriptors, and each
 * of their 5 samples that centre plus Gaussian noise of norm ~0.5. Seeded: every process makes
 * the same rows.
 */
export function* paddingRows(
  real: Float32Array[],
  count: number,
  seed = 97,
): Generator<Float32Array> {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const pick = () => real[Math.floor(uniform() * real.length)]!;
  let centre: Float32Array = new Float32Array(DESCRIPTOR_LENGTH);
  const row = new Float32Array(DESCRIPTOR_LENGTH);
  for (let i = 0; i < count; i++) {
    if (i % 5 === 0) {
      const [a, b] = [pick(), pick()];
      centre = l2Normalise(a.map((x, d) => x + b[d]!));
    }
    for (let d = 0; d < DESCRIPTOR_LENGTH; d++) {
      row[d] = centre[d]! + (gauss() * 0.5) / Math.sqrt(DESCRIPTOR_LENGTH);
    }
    yield l2Normalise(row);
  }
}

/** Every row of a bench gallery: the real ones first, then padding up to `size`. */
export function* benchRows(real: Float32Array[], size: number): Generator<Float32Array> {
  yield* real.slice(0, size);
  if (size > real.length) {
    yield* paddingRows(real, size - real.length);
  }
}

/** A database stand-in answering the gallery loader's two queries from `rows` of one list. */
export function streamingDb(listId: string, rows: () => Generator<Float32Array>, size: number) {
  let iterator = rows();
  let next = 0;
  return {
    async execute({ sql, args }: { sql: string; args: unknown[] }) {
      if (sql.includes('COUNT(*)')) {
        return { rows: [{ list_id: listId, n: size }] };
      }
      const limit = Number(args.at(-1));
      if (args[2] === '') {
        iterator = rows();
        next = 0;
      }
      const page = [];
      for (let n = 0; n < limit && next < size; n++, next++) {
        const vector = iterator.next().value as Float32Array;
        page.push({ list_id: listId, face_id: faceIdOf(next), descriptor: vector.slice().buffer });
      }
      return { rows: page };
    },
  };
}

/** Milliseconds of each call of `run` over `inputs`. */
export function timeEach<T>(inputs: T[], run: (input: T) => unknown): number[] {
  return inputs.map((input) => {
    const started = performance.now();
    run(input);
    return performance.now() - started;
  });
}

/** The p-th percentile (0–100) of `values`. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Resident memory of this process from /proc (MiB): total, anonymous, file-backed, peak. */
export function processMemory() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  const mib = (key: string) => Math.round(kib(key) / 1024);
  return { rss: mib('VmRSS'), anon: mib('RssAnon'), file: mib('RssFile'), peak: mib('VmHWM') };
}

/**
 * Float16 storage scanned exactly, for comparison only: usearch's JavaScript exact search
 * takes float32, float64 or int8, so each block is widened to float32 by the engine first.
 */
export class Float16Scan {
  private readonly rows: Float16Array;
  private readonly block = new Float32Array(8192 * DESCRIPTOR_LENGTH);

  constructor(
    source: Iterable<Float32Array>,
    readonly size: number,
  ) {
    this.rows = new Float16Array(size * DESCRIPTOR_LENGTH);
    let i = 0;
    for (const row of source) {
      this.rows.set(row, i++ * DESCRIPTOR_LENGTH);
    }
  }

  /** Bytes held by the rows. */
  get byteLength(): number {
    return this.rows.byteLength;
  }

  /** The best `limit` rows (ids from `faceIdOf`) by cosine to `query`. */
  search(query: Float32Array, limit: number): Scored[] {
    const found: Scored[] = [];
    const q = new Float32Array(query);
    const per = this.block.length / DESCRIPTOR_LENGTH;
    for (let start = 0; start < this.size; start += per) {
      const count = Math.min(per, this.size - start);
      const view = this.block.subarray(0, count * DESCRIPTOR_LENGTH);
      view.set(this.rows.subarray(start * DESCRIPTOR_LENGTH, (start + count) * DESCRIPTOR_LENGTH));
      const m = usearch.exactSearch(
        view,
        q,
        DESCRIPTOR_LENGTH,
        Math.min(limit, count),
        usearch.MetricKind.IP,
        2,
      );
      m.keys.forEach((key, j) => {
        found.push({ id: faceIdOf(start + Number(key)), cosine: 1 - m.distances[j]! });
      });
    }
    return found.sort((a, b) => b.cosine - a.cosine || (a.id < b.id ? -1 : 1)).slice(0, limit);
  }
}
