/** Public face of the model fetch step: manifest loading and `fetchModels`. */

export { type ModelFetchCode, ModelFetchError } from './errors.ts';
export { checkFile, type FileCheck, sha256File } from './file-hash.ts';
export {
  loadManifest,
  MANIFEST_PATH,
  ManifestError,
  type ModelEntry,
  type ModelKey,
  type ModelManifest,
  OPTIONAL_MODEL_KEYS,
  type OptionalModelKey,
  parseManifest,
  REQUIRED_MODEL_KEYS,
  type RequiredModelKey,
} from './manifest.ts';
export { type FetchModelsOptions, fetchModels, type ModelOutcome } from './model-fetcher.ts';
export { obtainTarball, tarballName } from './npm-package.ts';
export { readTgzEntries } from './tar-reader.ts';
