/** Where tests find evaluation data and model files outside the repo. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared evaluation data: `../shared` beside the checkout unless LUNETTE_SHARED_DIR says. */
export const SHARED_DIR = path.resolve(ROOT, process.env.LUNETTE_SHARED_DIR ?? '../shared');

/** The LFW subset (evaluation data, never copied into the repo). */
export const LFW_DIR = path.join(SHARED_DIR, 'lfw');

/** The liveness sample photos. */
export const LIVENESS_DIR = path.join(SHARED_DIR, 'liveness-samples');

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
