/** Where tests find evaluation data and model files outside the repo. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The LFW subset beside the checkout (evaluation data, never copied into the repo). */
export const LFW_DIR = path.resolve(ROOT, process.env.LUNETTE_LFW_DIR ?? '../shared/lfw');

/** The liveness sample photos beside the checkout. */
export const LIVENESS_DIR = path.resolve(ROOT, '../shared/liveness-samples');

/** Folder of the verified model files that `npm install` placed. */
export const MODELS_DIR = path.join(ROOT, 'models', 'files');

/** Path of one LFW image by person and number. */
export function lfwImage(name: string, n: number): string {
  return path.join(LFW_DIR, 'images', name, `${name}_${String(n).padStart(4, '0')}.jpg`);
}

/** True when the LFW data is present. */
export function hasLfw(): boolean {
  return existsSync(path.join(LFW_DIR, 'pairs.txt'));
}
