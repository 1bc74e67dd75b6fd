/**
 * `npx bun scripts/measure-event-matrix.ts [--events N] [--precision i8|f32]`: memory and search
 * time of the in-memory event descriptors. Stores N synthetic events (random unit descriptors,
 * two accounts, a source, a tag, age, gender, liveness and one match label each) in a temp
 * libSQL file, then, in a fresh process, reads resident memory (RSS after a full collection)
 * before and after loading them, and times searches for 10 events with no filter, the caller's
 * account (half the events), a rare source (1 %) and a source no event has (the worst case:
 * the search widens until every row was scanned).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, openDatabase } from '../src/db/index.ts';
import { EventDescriptorMatrix } from '../src/events/event-descriptor-matrix.ts';
import { eventInsertStatements } from '../src/events/event-rows.ts';
import type { EventFilters, EventRecord } from '../src/events/index.ts';
import type { StoragePrecision } from '../src/matcher/index.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) =>
  args.includes(name) ? args[args.indexOf(name) + 1]! : fallback;
const EVENTS = Number(option('--events', '100000'));
const PRECISION = option('--precision', 'i8') as StoragePrecision;
const VERSION = 'fr_feature-1';
const ACCOUNTS = ['00000000-0000-4000-8000-0000000000aa', '00000000-0000-4000-8000-0000000000bb'];
const HANDLERS = Array.from({ length: 8 }, () => crypto.randomUUID());

function unit(): Float32Array {
  const v = new Float32Array(512);
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = Math.random() - 0.5;
    sum += v[i]! * v[i]!;
  }
  const inv = 1 / Math.sqrt(sum);
  return v.map((x) => x * inv);
}

function eventOf(n: number): EventRecord {
  const similarity = Math.random();
  const objectId = crypto.randomUUID();
  return {
    eventId: `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    accountId: ACCOUNTS[n % 2]!,
    createTime: Date.now() - n * 1000,
    handlerId: HANDLERS[n % HANDLERS.length],
    source: n % 100 === 0 ? 'rare-door' : `door-${n % 7}`,
    trackId: undefined,
    externalId: undefined,
    userData: '',
    tags: [`tag-${n % 5}`],
    meta: undefined,
    detections: [],
    basicAttributes: { age: 20 + (n % 50), gender: Math.random() },
    liveness: { prediction: 'real', probability: 0.9 },
    descriptor: { version: VERSION, vector: unit() },
    matches: [
      { label: 'vip', candidates: [{ objectType: 'face', objectId, similarity, details: {} }] },
    ],
    topMatch: { label: 'vip', objectType: 'face', objectId, similarity, details: {} },
    faceId: undefined,
    listIds: [],
    attributeId: undefined,
    exif: undefined,
  };
}

const rssMiB = () => {
  Bun.gc(true);
  return process.memoryUsage().rss / 2 ** 20;
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(dir: string): Promise<void> {
  const db = await openDatabase(`file:${path.join(dir, 'events.db')}`);
  const before = rssMiB();
  const matrix = new EventDescriptorMatrix(db, VERSION, { precision: PRECISION, rowsDir: dir });
  const started = performance.now();
  const loaded = await matrix.load();
  const loadMs = performance.now() - started;
  const after = rssMiB();
  const searches: [string, string | undefined, EventFilters][] = [
    ['no filter', undefined, {}],
    ['one account (50 %)', ACCOUNTS[0], {}],
    ['rare source (1 %)', undefined, { sources: ['rare-door'] }],
    ['no event passes (every row scanned)', undefined, { sources: ['nowhere'] }],
  ];
  const timings: Record<string, number> = {};
  for (const [name, scope, filters] of searches) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const query = unit();
      const t = performance.now();
      matrix.search(VERSION, query, { scope, filters, limit: 10, minCosine: -2, now: Date.now() });
      times.push(performance.now() - t);
    }
    timings[name] = Math.round(median(times) * 10) / 10;
  }
  console.log(
    JSON.stringify({
      events: loaded,
      precision: PRECISION,
      rssBeforeMiB: Math.round(before),
      rssAfterMiB: Math.round(after),
      bytesPerEvent: Math.round(((after - before) * 2 ** 20) / loaded),
      loadSeconds: Math.round(loadMs / 100) / 10,
      searchMedianMs: timings,
    }),
  );
  matrix.close();
  db.close();
}

async function build(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lunette-event-matrix-'));
  const db = await openDatabase(`file:${path.join(dir, 'events.db')}`);
  await migrate(db);
  for (let start = 0; start < EVENTS; start += 1000) {
    const page = Array.from({ length: Math.min(1000, EVENTS - start) }, (_, i) =>
      eventOf(start + i + 1),
    );
    await db.batch(page.flatMap(eventInsertStatements), 'write');
  }
  db.close();
  return dir;
}

if (args.includes('--measure')) {
  await measure(option('--measure', ''));
} else {
  const dir = await build();
  try {
    // A fresh process: the build's garbage and allocator state stay out of the figures.
    const child = Bun.spawnSync(
      [process.execPath, import.meta.path, ...args, '--measure', dir, '--precision', PRECISION],
      { stdout: 'inherit', stderr: 'inherit' },
    );
    process.exitCode = child.exitCode ?? 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
