/**
 * Installs GitHub-hosted model files: downloaded from the manifest's pinned URLs, or copied
 * from a local folder of pre-fetched files (LUNETTE_MODELS_FROM). Both paths check sha256.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { writeVerified } from './atomic-write.ts';
import { checksumMismatch, ModelFetchError } from './errors.ts';
import { sha256File } from './file-hash.ts';
import type { GithubModelEntry } from './manifest.ts';

const DOWNLOAD_TIMEOUT_MS = 5 * 60 * 1000;

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function downloadFix(model: GithubModelEntry): string {
  const url = model.source.urls[0];
  return (
    `re-run \`bun models/fetch-models.ts\`; without internet access, download ${url} ` +
    'elsewhere, check its sha256, and set LUNETTE_MODELS_FROM=<folder holding it>'
  );
}

function copyFix(model: GithubModelEntry, sourcePath: string): string {
  return (
    `replace ${sourcePath} with ${model.file} from ${model.source.urls[0]} ` +
    `(sha256 ${model.sha256}), or unset LUNETTE_MODELS_FROM to download it`
  );
}

async function downloadOnce(url: string, target: string, model: GithubModelEntry) {
  const signal = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
  const response = await fetch(url, { redirect: 'follow', signal });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  return writeVerified(response.body, target, model);
}

/**
 * Downloads a model into `modelsDir`, trying each pinned URL in turn. Throws `ModelFetchError`
 * (`checksum_mismatch` when any URL served wrong bytes, else `download_failed`).
 */
export async function downloadModel(model: GithubModelEntry, modelsDir: string): Promise<void> {
  const target = path.join(modelsDir, model.file);
  const reasons: string[] = [];
  let mismatch: ModelFetchError | undefined;
  for (const url of model.source.urls) {
    try {
      const result = await downloadOnce(url, target, model);
      if (result.ok) {
        return;
      }
      const facts = { file: model.file, source: url, expectedSha256: model.sha256, ...result };
      mismatch ??= checksumMismatch({ ...facts, fix: downloadFix(model) });
      reasons.push(`${url}: checksum mismatch`);
    } catch (error) {
      reasons.push(`${url}: ${reasonOf(error)}`);
    }
  }
  const detail = `download failed (${reasons.join('; ')})`;
  throw mismatch ?? new ModelFetchError('download_failed', model.file, detail, downloadFix(model));
}

/** Copies a model from a folder of pre-fetched files into `modelsDir`, checking its sha256. */
export async function copyModel(
  model: GithubModelEntry,
  fromDir: string,
  modelsDir: string,
): Promise<void> {
  const sourcePath = path.join(fromDir, model.file);
  const info = await stat(sourcePath).catch(() => undefined);
  if (!info?.isFile()) {
    const detail = `not found in the LUNETTE_MODELS_FROM folder ${fromDir}`;
    const fix =
      `put ${model.file} (from ${model.source.urls[0]}) there, ` +
      'or unset LUNETTE_MODELS_FROM to download it';
    throw new ModelFetchError('source_missing', model.file, detail, fix);
  }
  const target = path.join(modelsDir, model.file);
  const result = await writeVerified(createReadStream(sourcePath), target, model);
  if (!result.ok) {
    // A local file can be hashed whole, so the message shows its real sha256 even when too large.
    const actualSha256 = result.actualSha256 ?? (await sha256File(sourcePath));
    const facts = { file: model.file, source: sourcePath, expectedSha256: model.sha256 };
    const fix = copyFix(model, sourcePath);
    throw checksumMismatch({ ...facts, actualSha256, actualSize: result.actualSize, fix });
  }
}
