/**
 * `npm run bench`: median per-stage times (decode, detect, warp, extract) in-process, and the
 * end-to-end HTTP time (POST /6/detector then POST /6/extractor) against the real appliance, for
 * a 250×250 LFW photo and a 1920×1080 JPEG with one face; one inference thread, two inference
 * threads, and two concurrent clients.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../src/config.ts';
import type { Vision } from '../src/vision/index.ts';
import { startApplianceProcess, timeMedian } from './bench-support.ts';
import { scriptVision } from './script-vision.ts';

const LFW = path.resolve('../shared/lfw/images');
const RUNS = Number(process.env.BENCH_RUNS ?? 25);

async function photos(): Promise<Record<string, Buffer>> {
  const lfw = await readFile(path.join(LFW, 'Colin_Powell', 'Colin_Powell_0040.jpg'));
  const face = await sharp(lfw).resize(360, 360).toBuffer();
  // A 1080p frame: a smooth gradient background with one enlarged LFW face off-centre.
  const background = await sharp({
    create: { width: 1920, height: 1080, channels: 3, background: '#6a7b8c' },
  })
    .composite([{ input: face, left: 1100, top: 300 }])
    .jpeg({ quality: 90 })
    .toBuffer();
  return { 'lfw 250×250': lfw, '1920×1080, one face': background };
}

async function stageTimes(vision: Vision, bytes: Buffer) {
  const image = await vision.decode(bytes);
  const [face] = await vision.detect(image);
  if (!face) {
    throw new Error('bench photo has no face');
  }
  const crop = await vision.warp(image, face);
  return {
    decode: await timeMedian(() => vision.decode(bytes), RUNS),
    detect: await timeMedian(() => vision.detect(image), RUNS),
    warp: await timeMedian(() => vision.warp(image, face), RUNS),
    extract: await timeMedian(() => vision.extract([crop]), RUNS),
  };
}

async function endToEnd(url: string, auth: string, bytes: Buffer): Promise<void> {
  const detected = await fetch(`${url}/6/detector`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'image/jpeg' },
    body: bytes,
  });
  const body = (await detected.json()) as any;
  const sampleId = body.images[0].detections.samples[0].sample_id;
  const extracted = await fetch(`${url}/6/extractor`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ samples: [sampleId] }),
  });
  if (extracted.status !== 201) {
    throw new Error(`extractor answered ${extracted.status}`);
  }
}

/** Per-photo time with `clients` concurrent clients: wall time ÷ photos processed. */
async function httpTimes(threads: number, clients: number, images: Record<string, Buffer>) {
  const server = await startApplianceProcess(5199, {
    LUNETTE_INFERENCE_THREADS: String(threads),
  });
  const out: Record<string, number> = {};
  try {
    for (const [name, bytes] of Object.entries(images)) {
      const round = () =>
        Promise.all(
          Array.from({ length: clients }, () => endToEnd(server.url, server.auth, bytes)),
        );
      out[name] = (await timeMedian(round, RUNS)) / clients;
    }
  } finally {
    await server.stop();
  }
  return out;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const vision = await scriptVision(config, 1);
  const images = await photos();
  const fmt = (v: number) => v.toFixed(1).padStart(7);
  console.log(`median of ${RUNS} runs, ms; one inference thread\n`);
  console.log('photo                     decode  detect    warp extract');
  for (const [name, bytes] of Object.entries(images)) {
    const t = await stageTimes(vision, bytes);
    console.log(
      `${name.padEnd(24)}${fmt(t.decode)} ${fmt(t.detect)} ${fmt(t.warp)} ${fmt(t.extract)}`,
    );
  }
  await vision.close();
  console.log('\nend to end over HTTP (detector + extractor), ms per photo');
  const modes = [
    ['1 thread, 1 client', 1, 1],
    ['2 threads, 1 client', 2, 1],
    ['1 thread, 2 clients', 1, 2],
  ] as const;
  for (const [label, threads, clients] of modes) {
    const t = await httpTimes(threads, clients, images);
    const cells = Object.entries(t).map(([name, ms]) => `${name}: ${ms.toFixed(1)}`);
    console.log(`${label.padEnd(22)} ${cells.join('   ')}`);
  }
}

await main();
