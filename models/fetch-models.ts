/**
 * CLI (`bun models/fetch-models.ts`, the root postinstall): puts verified model files in
 * LUNETTE_MODELS_DIR, copying GitHub files from LUNETTE_MODELS_FROM when it is set.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.ts';
import {
  fetchModels,
  loadManifest,
  type ModelFetchError,
  type ModelOutcome,
} from './fetch/index.ts';

const CACHE_DIR = fileURLToPath(new URL('./.cache', import.meta.url));

function report(outcomes: ModelOutcome[], elapsedMs: number): number {
  const errors = new Set<ModelFetchError>();
  for (const outcome of outcomes) {
    if (outcome.status === 'failed') {
      errors.add(outcome.error);
    }
  }
  for (const error of errors) {
    console.error(`models: ERROR ${error.message}`);
  }
  const count = (status: ModelOutcome['status']) =>
    outcomes.filter((o) => o.status === status).length;
  const summary = ['present', 'installed', 'failed'] as const;
  const counts = summary.map((status) => `${count(status)} ${status}`).join(', ');
  console.log(`models: ${counts} (${Math.round(elapsedMs)} ms)`);
  return errors.size > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  const started = performance.now();
  const config = loadConfig();
  const manifest = await loadManifest();
  const outcomes = await fetchModels({
    manifest,
    modelsDir: config.modelsDir,
    modelsFrom: config.modelsFrom,
    cacheDir: CACHE_DIR,
    onProgress: (message) => console.log(`models: ${message}`),
  });
  console.log(`models: files in ${path.relative(process.cwd(), config.modelsDir) || '.'}`);
  return report(outcomes, performance.now() - started);
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`models: ERROR ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
