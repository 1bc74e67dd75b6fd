/** The product's vision pipeline as the scripts open it: the configured models and pixel cap. */
import type { Config } from '../src/config.ts';
import { createVision, type Vision } from '../src/vision/index.ts';
import { resolveModelFiles } from '../src/vision/model-files.ts';

/** Opens the vision pipeline of `config` with `threads` inference threads (the configured ones). */
export async function scriptVision(
  config: Config,
  threads = config.inferenceThreads,
): Promise<Vision> {
  return createVision({
    models: await resolveModelFiles(config.modelsDir),
    threads,
    maxPixels: config.maxImagePixels,
  });
}
