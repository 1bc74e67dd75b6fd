/**
 * `npm run bench:events [-- --requests N] [--faces N]`: event generation through an identify
 * handler (detect, estimate age and gender, extract, match against a 10,000-face list, tag,
 * store the event) for 1920×1080 photos with one face, over HTTP against one and then two
 * appliance processes ("workers") sharing one data dir. Prints events per second and per-request
 * p50/p99 latency; writes reports/bench-events.json. The list holds random unit descriptors
 * (matching cost is the same as for real faces); the photos are LFW faces on a 1080p frame.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { FIRST_ADMIN_ID } from '../src/accounts/index.ts';
import { migrate, openDatabase } from '../src/db/index.ts';
import { l2Normalise } from '../src/descriptors/index.ts';
import { faceInsertStatements } from '../src/faces/index.ts';
import {
  type ApplianceProcess,
  BENCH_ADMIN,
  median,
  quantile,
  startApplianceProcess,
} from './bench-support.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const REQUESTS = option('--requests', 60);
const FACES = option('--faces', 10_000);
const CLIENTS_PER_WORKER = 2;
const WARMUP = 4;
const VERSION = 'fr_feature-1';
const AUTH = `Basic ${Buffer.from(BENCH_ADMIN).toString('base64')}`;
const PORTS = [5211, 5212];
const LFW = path.resolve('../shared/lfw/images');
const PEOPLE: [string, number][] = [
  ['Tony_Blair', 18],
  ['Jean_Chretien', 8],
  ['David_Beckham', 1],
  ['Hans_Blix', 8],
  ['Tiger_Woods', 3],
  ['Nicole_Kidman', 3],
];

/** One appliance process. */
type Worker = ApplianceProcess;

function randomUnit(): Float32Array {
  const v = new Float32Array(512);
  for (let i = 0; i < v.length; i++) {
    v[i] = Math.random() * 2 - 1;
  }
  return l2Normalise(v);
}

/** Migrates a fresh database and puts `FACES` faces into one list of the first admin. */
async function seed(dataDir: string): Promise<string> {
  const db = await openDatabase(`file:${path.join(dataDir, 'lunette.db')}`);
  await migrate(db);
  const listId = crypto.randomUUID();
  const now = Date.now();
  await db.execute({
    sql: 'INSERT INTO lists VALUES (?, ?, ?, ?, ?)',
    args: [listId, FIRST_ADMIN_ID, now, now, 'bench'],
  });
  for (let start = 0; start < FACES; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, FACES - start) }, () =>
      faceInsertStatements({
        faceId: crypto.randomUUID(),
        accountId: FIRST_ADMIN_ID,
        createTime: now,
        userData: '',
        externalId: undefined,
        basicAttributes: undefined,
        sampleIds: [],
        listIds: [listId],
        descriptor: { version: VERSION, vector: randomUnit() },
      }),
    );
    await db.batch(batch.flat(), 'write');
  }
  db.close();
  return listId;
}

/** 1920×1080 JPEG frames, each with one enlarged LFW face off-centre. */
async function frames(): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const [name, n] of PEOPLE) {
    const file = path.join(LFW, name, `${name}_${String(n).padStart(4, '0')}.jpg`);
    const face = await sharp(await readFile(file))
      .resize(360, 360)
      .toBuffer();
    const frame = sharp({
      create: { width: 1920, height: 1080, channels: 3, background: '#6a7b8c' },
    });
    out.push(
      await frame
        .composite([{ input: face, left: 1100, top: 300 }])
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
  }
  return out;
}

async function createIdentifyHandler(url: string, listId: string): Promise<string> {
  const res = await fetch(`${url}/6/handlers`, {
    method: 'POST',
    headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      description: 'bench identify',
      policies: {
        detect_policy: { estimate_basic_attributes: 1 },
        match_policy: [
          { label: 'list', candidates: { origin: 'faces', list_id: listId }, threshold: 0.5 },
        ],
        conditional_tags_policy: [
          { tag: 'known', filters: { match: [{ label: 'list', similarity__gte: 0.5 }] } },
        ],
      },
    }),
  });
  if (res.status !== 201) {
    throw new Error(`handler creation answered ${res.status}: ${await res.text()}`);
  }
  return ((await res.json()) as { handler_id: string }).handler_id;
}

async function postEvent(url: string, handlerId: string, frame: Buffer): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/6/handlers/${handlerId}/events?source=bench`, {
    method: 'POST',
    headers: { Authorization: AUTH, 'Content-Type': 'image/jpeg' },
    body: frame,
  });
  const body = (await res.json()) as { events?: unknown[] };
  if (res.status !== 201 || body.events?.length !== 1) {
    throw new Error(`event generation answered ${res.status}: ${JSON.stringify(body)}`);
  }
  return performance.now() - started;
}

/** Runs `REQUESTS` requests with two clients per worker; latencies and wall time in ms. */
async function measure(workers: Worker[], handlerId: string, photos: Buffer[]) {
  let next = 0;
  const latencies: number[] = [];
  const client = async (worker: Worker) => {
    while (next < REQUESTS) {
      const i = next++;
      latencies.push(await postEvent(worker.url, handlerId, photos[i % photos.length]!));
    }
  };
  for (let i = 0; i < WARMUP; i++) {
    await postEvent(workers[i % workers.length]!.url, handlerId, photos[i % photos.length]!);
  }
  const started = performance.now();
  const clients = workers.flatMap((w) =>
    Array.from({ length: CLIENTS_PER_WORKER }, () => client(w)),
  );
  await Promise.all(clients);
  const wallMs = performance.now() - started;
  return {
    workers: workers.length,
    requests: REQUESTS,
    eventsPerSecond: (REQUESTS / wallMs) * 1000,
    p50Ms: median(latencies),
    p99Ms: quantile(latencies, 0.99),
  };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lunette-bench-events-'));
  const workers: Worker[] = [];
  try {
    const listId = await seed(dataDir);
    const photos = await frames();
    workers.push(await startApplianceProcess(PORTS[0]!, {}, dataDir));
    const handlerId = await createIdentifyHandler(workers[0]!.url, listId);
    const rows = [await measure(workers, handlerId, photos)];
    workers.push(await startApplianceProcess(PORTS[1]!, {}, dataDir));
    rows.push(await measure(workers, handlerId, photos));
    console.log(`identify handler, ${FACES} faces in the list, 1920×1080 single-face JPEGs`);
    console.log(`${CLIENTS_PER_WORKER} clients per worker, ${REQUESTS} requests per row\n`);
    console.log('workers  events/s   p50 ms   p99 ms');
    for (const r of rows) {
      const cells = [
        r.eventsPerSecond.toFixed(1).padStart(8),
        r.p50Ms.toFixed(0).padStart(8),
        r.p99Ms.toFixed(0).padStart(8),
      ];
      console.log(`${String(r.workers).padStart(7)} ${cells.join(' ')}`);
    }
    await mkdir('reports', { recursive: true });
    await writeFile(
      'reports/bench-events.json',
      `${JSON.stringify({ faces: FACES, rows }, null, 2)}\n`,
    );
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
