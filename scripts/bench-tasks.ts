/**
 * `npm run bench:tasks [-- --sizes 10000,100000] [--refs 1000] [--full-cross]`: wall time of the
 * clustering and cross-match tasks on 10,000 and 100,000 faces, run by the real appliance
 * in-process over a loopback socket, plus the latency of API requests made while a task runs.
 * Faces are synthetic (seeded people, 5 noisy descriptors each) written straight into libSQL.
 * Cross-match runs `--refs` references against every face, and N×N up to 10,000 faces (or at
 * every size with `--full-cross`). Writes reports/bench-tasks.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { FIRST_ADMIN_ID } from '../src/accounts/index.ts';
import { createAppliance } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { migrate, openDatabase } from '../src/db/index.ts';
import { DESCRIPTOR_LENGTH, l2Normalise } from '../src/descriptors/index.ts';
import { faceInsertStatements } from '../src/faces/index.ts';
import { createLogger, setLogLevel } from '../src/logger/index.ts';
import type { Vision } from '../src/vision/index.ts';
import { quantile } from './bench-support.ts';
import { scriptVision } from './script-vision.ts';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const SIZES = (option('--sizes') ?? '10000,100000').split(',').map(Number);
const REFS = Number(option('--refs') ?? 1000);
const FULL_CROSS = args.includes('--full-cross');
const ADMIN = 'bench@lunette.local:bench-password-1';
const AUTH = `Basic ${Buffer.from(ADMIN).toString('base64')}`;
const LIST_ID = '00000000-0000-4000-8000-00000000b0b0';
const PER_PERSON = 5;

/** A uuid-shaped face id for row `i`. */
function faceIdOf(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

/** Seeded synthetic faces: random people, each 5 samples of centre plus noise of norm 0.8. */
function* syntheticRows(count: number, seed = 97): Generator<Float32Array> {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  let centre: Float32Array = new Float32Array(DESCRIPTOR_LENGTH);
  const noise = 0.8 / Math.sqrt(DESCRIPTOR_LENGTH);
  for (let i = 0; i < count; i++) {
    if (i % PER_PERSON === 0) {
      centre = l2Normalise(centre.map(() => gauss()));
    }
    yield l2Normalise(centre.map((c) => c + gauss() * noise));
  }
}

/** Writes `size` synthetic faces into one list of the first admin's account. */
async function seed(dataDir: string, size: number): Promise<number> {
  const started = performance.now();
  const db = await openDatabase(`file:${path.join(dataDir, 'lunette.db')}`);
  await migrate(db);
  const now = Date.now();
  await db.execute({
    sql: 'INSERT INTO lists VALUES (?, ?, ?, ?, ?)',
    args: [LIST_ID, FIRST_ADMIN_ID, now, now, 'bench'],
  });
  let batch = [];
  let i = 0;
  for (const vector of syntheticRows(size)) {
    batch.push(
      ...faceInsertStatements({
        faceId: faceIdOf(i),
        accountId: FIRST_ADMIN_ID,
        createTime: now + i,
        userData: '',
        externalId: `person-${Math.floor(i / PER_PERSON)}`,
        basicAttributes: undefined,
        sampleIds: [],
        listIds: [LIST_ID],
        descriptor: { version: 'fr_feature-1', vector },
      }),
    );
    i++;
    if (batch.length >= 3000) {
      await db.batch(batch, 'write');
      batch = [];
    }
  }
  if (batch.length > 0) {
    await db.batch(batch, 'write');
  }
  db.close();
  return (performance.now() - started) / 1000;
}

async function api(url: string, method: string, route: string, body?: unknown) {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<any>;
}

/** Runs one task to its end; returns seconds, the task, and request latencies meanwhile. */
async function timeTask(url: string, kind: string, body: unknown) {
  const started = performance.now();
  const { task_id: taskId } = await api(url, 'POST', `/6/tasks/${kind}`, body);
  const latencies: number[] = [];
  for (;;) {
    const asked = performance.now();
    const task = await api(url, 'GET', `/6/tasks/${taskId}`);
    latencies.push(performance.now() - asked);
    if (!['pending', 'running'].includes(task.status)) {
      const seconds = (Date.parse(task.end_time) - Date.parse(task.start_time)) / 1000;
      const wall = (performance.now() - started) / 1000;
      return { seconds, wall, task, latencies };
    }
    await Bun.sleep(20);
  }
}

function purity(clusters: { face_ids: string[] }[]): number {
  let pure = 0;
  let total = 0;
  for (const c of clusters) {
    const people = new Map<number, number>();
    for (const id of c.face_ids) {
      const person = Math.floor(Number.parseInt(id.slice(-12), 16) / PER_PERSON);
      people.set(person, (people.get(person) ?? 0) + 1);
    }
    pure += Math.max(...people.values());
    total += c.face_ids.length;
  }
  return pure / total;
}

function latencyOf(latencies: number[]) {
  return {
    requests: latencies.length,
    p50: Number(quantile(latencies, 0.5).toFixed(1)),
    p99: Number(quantile(latencies, 0.99).toFixed(1)),
    max: Number(Math.max(...latencies).toFixed(1)),
  };
}

async function benchSize(size: number, vision: Vision) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lunette-bench-tasks-'));
  const seedSeconds = await seed(dataDir, size);
  const config = loadConfig({
    LUNETTE_DATA_DIR: dataDir,
    LUNETTE_BOOTSTRAP_ADMIN: ADMIN,
    LUNETTE_LOG_LEVEL: 'warn',
    MQTT_LISTEN: 'off',
  });
  const appliance = await createAppliance({
    config,
    vision,
    logger: createLogger({ module: 'bench' }),
  });
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: appliance.app.fetch });
  const url = `http://127.0.0.1:${server.port}`;
  const rows = [];
  try {
    const all = { filters: { origin: 'faces', list_id: LIST_ID } };
    const clustering = await timeTask(url, 'clustering', all);
    const result = await api(url, 'GET', `/6/tasks/${clustering.task.task_id}/result`);
    rows.push({
      size,
      task: 'clustering',
      seconds: clustering.seconds,
      clusters: result.clusters.length,
      purity: purity(result.clusters),
      api_latency_ms: latencyOf(clustering.latencies),
    });
    const refs = Array.from({ length: Math.min(REFS, size) }, (_, i) =>
      faceIdOf(i * Math.floor(size / REFS)),
    );
    const pairs: [string, unknown][] = [
      [`${refs.length} refs × ${size}`, { origin: 'faces', face_ids: refs }],
    ];
    if (FULL_CROSS || size <= 10_000) {
      pairs.push([`${size} × ${size}`, all.filters]);
    }
    for (const [label, references] of pairs) {
      const cross = await timeTask(url, 'cross_match', {
        references: { filters: references },
        candidates: all,
        limit: 10,
        threshold: 0.5,
      });
      rows.push({
        size,
        task: `cross_match ${label}`,
        seconds: cross.seconds,
        pairs: cross.task.summary.pairs,
        api_latency_ms: latencyOf(cross.latencies),
      });
    }
    return { seedSeconds, rows };
  } finally {
    server.stop(true);
    await appliance.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const config = loadConfig();
  const vision = await scriptVision(config, 1);
  const report = {
    createdAt: new Date().toISOString(),
    cpus: cpus().length,
    rows: [] as unknown[],
  };
  for (const size of SIZES) {
    console.log(`${size} faces: seeding…`);
    const { seedSeconds, rows } = await benchSize(size, vision);
    console.log(`  seeded in ${seedSeconds.toFixed(1)} s`);
    for (const row of rows) {
      console.log(`  ${JSON.stringify(row)}`);
      report.rows.push(row);
    }
  }
  await vision.close();
  await mkdir('reports', { recursive: true });
  await writeFile('reports/bench-tasks.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log('report: reports/bench-tasks.json');
}

await main();
