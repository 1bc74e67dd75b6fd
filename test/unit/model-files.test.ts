/** Start-up check of model files and the manifest schema. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  loadManifest,
  type ModelEntry,
  type ModelKey,
  type ModelManifest,
  parseManifest,
  REQUIRED_MODEL_KEYS,
} from '../../models/fetch/index.ts';
import { ModelFilesError, resolveModelFiles } from '../../src/vision/model-files.ts';

const INPUT = {
  name: 'input',
  shape: [1, 3, 8, 8],
  layout: 'NCHW' as const,
  color: 'BGR' as const,
  normalize: 'none',
  crop: 'none',
};

let dir: string;
let manifest: ModelManifest;

function entry(key: ModelKey, bytes: Uint8Array, optional = false): ModelEntry {
  const source = { kind: 'npm' as const, package: 'p@1.0.0', path: `model/${key}.onnx` };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const base = { name: key, version: '1', license: 'MIT', input: INPUT, source };
  return { ...base, key, file: `${key}.onnx`, sha256, size: bytes.length, optional };
}

async function errorOf(promise: Promise<unknown>): Promise<ModelFilesError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ModelFilesError)) {
    throw new Error(`expected ModelFilesError, got ${String(error)}`);
  }
  return error;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lunette-models-'));
  const models: ModelEntry[] = [];
  for (const key of [...REQUIRED_MODEL_KEYS, 'eye'] as const) {
    const bytes = randomBytes(512);
    await writeFile(path.join(dir, `${key}.onnx`), bytes);
    models.push(entry(key, bytes, key === 'eye'));
  }
  const pose = entry('pose', randomBytes(16), true);
  manifest = { schema: 1, packages: {}, models: [...models, pose] };
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveModelFiles', () => {
  it('returns absolute paths by role, leaving out absent extras', async () => {
    const paths = await resolveModelFiles(dir, manifest);

    expect(paths.detector).toBe(path.join(dir, 'detector.onnx'));
    expect(paths.livenessV1se).toBe(path.join(dir, 'livenessV1se.onnx'));
    expect(paths.eye).toBe(path.join(dir, 'eye.onnx'));
    expect('pose' in paths).toBe(false);
  });

  it('names a missing required file and the fix', async () => {
    await rm(path.join(dir, 'recognizer.onnx'));

    const error = await errorOf(resolveModelFiles(dir, manifest));

    expect(error.message).toContain(`recognizer.onnx (recognizer) at ${dir}`);
    expect(error.message).toContain('missing');
    expect(error.message).toContain('npm install');
    expect(error.message).toContain('LUNETTE_MODELS_FROM');
    expect(error.problems.map((p) => p.file)).toEqual(['recognizer.onnx']);
  });

  it('names a corrupt file with its expected and actual sha256', async () => {
    const bytes = Buffer.from('not the model');
    await writeFile(path.join(dir, 'age.onnx'), bytes);
    const actual = createHash('sha256').update(bytes).digest('hex');
    const expected = manifest.models.find((m) => m.key === 'age')?.sha256;

    const error = await errorOf(resolveModelFiles(dir, manifest));

    expect(error.message).toContain(`age.onnx (age) at ${path.join(dir, 'age.onnx')}: corrupt`);
    expect(error.message).toContain(`sha256 ${actual}, expected ${expected}`);
  });

  it('refuses a corrupt optional extra too', async () => {
    await writeFile(path.join(dir, 'eye.onnx'), 'x');

    const error = await errorOf(resolveModelFiles(dir, manifest));

    expect(error.problems).toMatchObject([{ file: 'eye.onnx', reason: 'corrupt' }]);
  });
});

describe('model manifest', () => {
  it('parses models/manifest.json with every required model pinned', async () => {
    const real = await loadManifest();

    const keys = real.models.map((m) => m.key);

    expect(keys).toEqual(expect.arrayContaining([...REQUIRED_MODEL_KEYS]));
    expect(real.models.every((m) => /^[0-9a-f]{64}$/.test(m.sha256))).toBe(true);
  });

  it('rejects a manifest without a required model or with a path in a file name', () => {
    const detectorless = manifest.models.filter((m) => m.key !== 'detector');
    const escaping = manifest.models.map((m) => ({ ...m, file: '../x.onnx' }));

    expect(() => parseManifest({ ...manifest, models: detectorless })).toThrow(/detector/);
    expect(() => parseManifest({ ...manifest, models: escaping })).toThrow(/file/);
  });
});
