/**
 * Where vision tests find the real models and LFW photos: `models/files/<name>` when the
 * installer put it there, else the extracted npm package and the shared models folder.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelPaths } from '../../../src/vision/index.ts';
import { LFW_DIR, lfwImage, MODELS_DIR } from '../../helpers/paths.ts';

const FALLBACK_DIRS = [
  process.env.LUNETTE_TEST_PACKAGE_MODELS ?? '/tmp/fp/package/model',
  process.env.LUNETTE_TEST_SHARED_MODELS ?? path.resolve(LFW_DIR, '..', 'models'),
];

function modelFile(name: string): string {
  const candidates = [MODELS_DIR, ...FALLBACK_DIRS].map((dir) => path.join(dir, name));
  return candidates.find((file) => existsSync(file)) ?? candidates[0]!;
}

/** Absolute paths of the four vision models. */
export function visionModels(): ModelPaths {
  return {
    detector: modelFile('yunet_n_dynamic.onnx'),
    recognizer: modelFile('fr_feature.onnx'),
    age: modelFile('fr_age.onnx'),
    gender: modelFile('fr_gender.onnx'),
  };
}

/** True when every model file and the LFW photos are present. */
export function hasVisionData(): boolean {
  const files = Object.values(visionModels());
  return files.every((file) => existsSync(file)) && existsSync(path.join(LFW_DIR, 'images'));
}

/** Bytes of one LFW photo. */
export function readLfw(name: string, n: number): Promise<Buffer> {
  return readFile(lfwImage(name, n));
}
