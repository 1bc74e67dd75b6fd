/**
 * `npm run bench:match [-- --quick] [--sizes a,b] [--runs N] [--reuse-index]`: 1:N matching at
 * 100,000 and 1,000,000 faces. Rows: the cached real-derived LFW descriptors (extracted first
 * when missing), padded with synthetic rows beyond them (timing only: agreement is a recall
 * claim only without padding). Measures per-query p50/p99 of the exact scan (float32, int8, and
 * float16 for comparison) and of the HNSW index (over float32 or int8 exact storage), index
 * build time, bytes per face, and the memory of a process serving the largest size with each
 * storage. Writes reports/bench-match.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { createLogger, setLogLevel } from '../src/logger/index.ts';
import { Gallery, type IndexPrecision, type StoragePrecision } from '../src/matcher/index.ts';
import {
  benchRows,
  Float16Scan,
  percentile,
  processMemory,
  streamingDb,
  timeEach,
} from './bench-match-lib.ts';
import {
  CACHE_DIR,
  type DescriptorSet,
  hasDescriptorSet,
  loadDescriptorSet,
} from './match-descriptor-cache.ts';

const VERSION = 'fr_feature-1';
const LIST = 'bench';
const LIMIT = 10;
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const REUSE = args.includes('--reuse-index');
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 3;
const SIZES = args.includes('--sizes')
  ? args[args.indexOf('--sizes') + 1]!.split(',').map(Number)
  : QUICK
    ? [100_000]
    : [100_000, 1_000_000];

/** One measured configuration. */
interface Row {
  size: number;
  mode: string;
  p50: number;
  p99: number;
  queries: number;
  bytesPerFace: number;
  /** Top-1 agreement with the float32 exact scan over the probes. */
  agreement?: number;
  /** True when synthetic padding rows are in the gallery (agreement then not a recall claim). */
  padded: boolean;
  buildSeconds?: number;
}

function indexRoot(size: number, precision: IndexPrecision) {
  return path.join(CACHE_DIR, `index-${size}-${precision}`);
}

/** Where int8 galleries keep their float32 row files (unlinked at once, so nothing stays). */
const ROWS_DIR = path.join(CACHE_DIR, 'rows');

async function openGallery(
  set: DescriptorSet,
  size: number,
  precision: StoragePrecision,
  index?: IndexPrecision,
) {
  const settings = index && {
    root: indexRoot(size, index),
    minFaces: Number.MAX_SAFE_INTEGER,
    maxDelta: Number.MAX_SAFE_INTEGER,
    precision: index,
    buildThreads: cpus().length,
  };
  const gallery = new Gallery(VERSION, {
    precision,
    rowsDir: ROWS_DIR,
    index: settings || undefined,
    logger: createLogger(),
  });
  await gallery.load(streamingDb(LIST, () => benchRows(set.gallery, size), size) as never);
  return gallery;
}

/** Median over RUNS passes of each pass's p50 and p99. */
function latency(probes: Float32Array[], search: (q: Float32Array) => unknown) {
  const passes = Array.from({ length: RUNS }, () => timeEach(probes, search));
  const median = (values: number[]) => percentile(values, 50);
  return {
    p50: median(passes.map((t) => percentile(t, 50))),
    p99: median(passes.map((t) => percentile(t, 99))),
  };
}

function agreementOf(
  probes: Float32Array[],
  top: (q: Float32Array) => string | undefined,
  truth: string[],
) {
  return probes.filter((q, i) => top(q) === truth[i]).length / probes.length;
}

/** Descriptor bytes per face of each exact storage (ids and map entries not included). */
const ROW_BYTES = { f32: 2048, i8: 516, f16: 1024 };

async function exactRows(set: DescriptorSet, size: number) {
  const probes = size > 200_000 ? set.probes.slice(0, 200) : set.probes;
  const padded = size > set.gallery.length;
  const f32 = await openGallery(set, size, 'f32');
  const truth = set.probes.map((q) => f32.search(LIST, q, 1)[0]!.id);
  const rows: Row[] = [
    {
      size,
      mode: 'exact f32',
      ...latency(probes, (q) => f32.search(LIST, q, LIMIT)),
      queries: probes.length,
      bytesPerFace: ROW_BYTES.f32,
      padded,
    },
  ];
  const i8 = await openGallery(set, size, 'i8');
  rows.push({
    size,
    mode: 'exact i8',
    ...latency(probes, (q) => i8.search(LIST, q, LIMIT)),
    queries: probes.length,
    bytesPerFace: ROW_BYTES.i8,
    agreement: agreementOf(probes, (q) => i8.search(LIST, q, 1)[0]?.id, truth),
    padded,
  });
  const f16 = new Float16Scan(benchRows(set.gallery, size), size);
  const f16Probes = probes.slice(0, padded ? 20 : 200);
  rows.push({
    size,
    mode: 'exact f16 (not shipped)',
    ...latency(f16Probes, (q) => f16.search(q, LIMIT)),
    queries: f16Probes.length,
    bytesPerFace: ROW_BYTES.f16,
    agreement: agreementOf(f16Probes, (q) => f16.search(q, 1)[0]?.id, truth),
    padded,
  });
  return { rows, truth };
}

async function indexedRow(
  set: DescriptorSet,
  size: number,
  precision: IndexPrecision,
  storage: StoragePrecision,
  truth: string[],
  reuse = REUSE,
): Promise<Row> {
  if (!reuse) {
    await rm(indexRoot(size, precision), { recursive: true, force: true });
  }
  const gallery = await openGallery(set, size, storage, precision);
  const started = performance.now();
  if (!gallery.indexStatus(LIST).ready) {
    gallery.buildIndex(LIST);
    while (gallery.indexStatus(LIST).state === 'building') {
      await Bun.sleep(200);
    }
  }
  const status = gallery.indexStatus(LIST);
  if (!status.ready) {
    throw new Error(`index build failed: ${status.error}`);
  }
  const buildSeconds = reuse ? undefined : (performance.now() - started) / 1000;
  const indexBytes = await folderBytes(path.join(indexRoot(size, precision), LIST));
  const row: Row = {
    size,
    mode: `indexed ${precision}, ${storage} rows`,
    ...latency(set.probes, (q) => gallery.search(LIST, q, LIMIT)),
    queries: set.probes.length,
    bytesPerFace: Math.round(ROW_BYTES[storage] + indexBytes / size),
    agreement: agreementOf(set.probes, (q) => gallery.search(LIST, q, 1)[0]?.id, truth),
    padded: size > set.gallery.length,
    buildSeconds,
  };
  await gallery.close();
  return row;
}

async function folderBytes(dir: string): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  let total = 0;
  for (const name of await readdir(dir)) {
    total += (await stat(path.join(dir, name))).size;
  }
  return total;
}

/** Runs this script with `--serve` in a fresh process and returns the memory it reports. */
function serveMemory(size: number, storage: StoragePrecision) {
  const command = [import.meta.path, '--serve', String(size), storage];
  const child = spawnSync(process.execPath, command, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = child.stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line) as Record<string, unknown>;
}

/** The `--serve` child: the gallery and its saved index as the appliance would hold them. */
async function serve(size: number, storage: StoragePrecision): Promise<void> {
  const set = await loadDescriptorSet(VERSION);
  const probes = set.probes.map((q) => q.slice());
  const gallery = await openGallery(set, size, storage, 'i8');
  const status = gallery.indexStatus(LIST);
  // Drop the cached set (one buffer behind gallery and probe views) before measuring.
  set.gallery.length = 0;
  set.probes.length = 0;
  Bun.gc(true);
  const before = processMemory();
  for (const q of probes) {
    gallery.search(LIST, q, LIMIT);
  }
  Bun.gc(true);
  const after = processMemory();
  console.log(JSON.stringify({ size, storage, indexReady: status.ready, before, after }));
}

function printHeader(): void {
  console.log(
    '* top-1 agreement with synthetic padding in the gallery: a timing row, not a recall claim',
  );
  console.log(
    'size       mode                          p50 ms  p99 ms  B/face  top-1 agree  build s',
  );
}

function printRow(r: Row): void {
  const mark = r.padded ? '*' : ' ';
  const agree = r.agreement === undefined ? '—' : `${(r.agreement * 100).toFixed(2)} %${mark}`;
  const build = r.buildSeconds === undefined ? '—' : r.buildSeconds.toFixed(1);
  const cells = [
    String(r.size).padEnd(10),
    r.mode.padEnd(29),
    r.p50.toFixed(2).padStart(6),
    r.p99.toFixed(2).padStart(7),
    String(r.bytesPerFace).padStart(7),
    agree.padStart(12),
    build.padStart(8),
  ];
  console.log(cells.join(' '));
}

async function main(): Promise<void> {
  setLogLevel('warn');
  if (!hasDescriptorSet(VERSION)) {
    console.log('no cached real-derived descriptors: extracting them first (~15 min)');
    spawnSync(process.execPath, [path.join(import.meta.dir, 'extract-match-descriptors.ts')], {
      stdio: 'inherit',
    });
  }
  const set = await loadDescriptorSet(VERSION);
  console.log(
    `real-derived rows: ${set.gallery.length}, probes: ${set.probes.length}, cpus: ${cpus().length}`,
  );
  const rows: Row[] = [];
  printHeader();
  for (const size of SIZES) {
    const { rows: exact, truth } = await exactRows(set, size);
    exact.forEach(printRow);
    rows.push(...exact);
    Bun.gc(true);
    for (const precision of size > 200_000 ? (['i8'] as const) : (['i8', 'f16'] as const)) {
      const row = await indexedRow(set, size, precision, 'f32', truth);
      printRow(row);
      rows.push(row);
      Bun.gc(true);
    }
    // The same saved i8 graph over int8 exact storage (re-rank from the row file).
    const row = await indexedRow(set, size, 'i8', 'i8', truth, true);
    printRow(row);
    rows.push(row);
    Bun.gc(true);
  }
  const memory = (['f32', 'i8'] as const).map((storage) => serveMemory(SIZES.at(-1)!, storage));
  console.log('\nserving process memory (MiB):');
  memory.forEach((m) => {
    console.log(JSON.stringify(m));
  });
  await mkdir('reports', { recursive: true });
  const report = {
    createdAt: new Date().toISOString(),
    cpus: cpus().length,
    runs: RUNS,
    limit: LIMIT,
    rows,
    memory,
  };
  await writeFile('reports/bench-match.json', JSON.stringify(report, null, 2));
}

if (args[0] === '--serve') {
  await serve(Number(args[1]), args[2] === 'i8' ? 'i8' : 'f32');
} else {
  await main();
}
