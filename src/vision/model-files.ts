/**
 * Start-up check of the model files: each manifest model must exist in the models folder with
 * its pinned sha256. Returns absolute paths by role; a missing or corrupt file stops start-up.
 */
import path from 'node:path';
import {
  checkFile,
  loadManifest,
  type ModelEntry,
  type ModelManifest,
  type OptionalModelKey,
  type RequiredModelKey,
} from '../../models/fetch/index.ts';

/** Absolute paths of the verified model files, keyed by role; extras only when installed. */
export type ModelPaths = Record<RequiredModelKey, string> &
  Partial<Record<OptionalModelKey, string>>;

/** One file that failed the check. */
export interface ModelFileProblem {
  key: string;
  file: string;
  path: string;
  reason: 'missing' | 'corrupt';
  expectedSha256: string;
  actualSha256?: string;
}

const FIX =
  'run `npm install` (or `bun models/fetch-models.ts`) to fetch and verify the models; ' +
  'without internet access set LUNETTE_MODELS_FROM=<folder with the GitHub model files> first';

function describe(problem: ModelFileProblem): string {
  const what =
    problem.reason === 'missing'
      ? 'missing'
      : `corrupt (sha256 ${problem.actualSha256}, expected ${problem.expectedSha256})`;
  return `${problem.file} (${problem.key}) at ${problem.path}: ${what}`;
}

/** A required model file is missing, or any present model file has the wrong sha256. */
export class ModelFilesError extends Error {
  constructor(readonly problems: ModelFileProblem[]) {
    super(`model files not usable: ${problems.map(describe).join('; ')}. Fix: ${FIX}`);
    this.name = 'ModelFilesError';
  }
}

interface ModelCheck {
  key: string;
  filePath: string;
  found: boolean;
  problem?: ModelFileProblem;
}

async function checkModel(model: ModelEntry, modelsDir: string): Promise<ModelCheck> {
  const filePath = path.resolve(modelsDir, model.file);
  const check = await checkFile(filePath, model);
  const base = { key: model.key, file: model.file, path: filePath, expectedSha256: model.sha256 };
  if (check.state === 'corrupt') {
    const problem = { ...base, reason: 'corrupt' as const, actualSha256: check.actualSha256 };
    return { key: model.key, filePath, found: false, problem };
  }
  if (check.state === 'missing' && !model.optional) {
    const problem = { ...base, reason: 'missing' as const };
    return { key: model.key, filePath, found: false, problem };
  }
  return { key: model.key, filePath, found: check.state === 'valid' };
}

/**
 * Verifies the model files in `modelsDir` against the manifest (sha256 of each, read once)
 * and returns their absolute paths. Optional extras are left out when absent.
 * @throws ModelFilesError naming every missing or corrupt file and the fix.
 */
export async function resolveModelFiles(
  modelsDir: string,
  manifest?: ModelManifest,
): Promise<ModelPaths> {
  const models = (manifest ?? (await loadManifest())).models;
  const results = await Promise.all(models.map((m) => checkModel(m, modelsDir)));
  const problems = results.flatMap((r) => (r.problem ? [r.problem] : []));
  if (problems.length > 0) {
    throw new ModelFilesError(problems);
  }
  const paths: Partial<Record<string, string>> = {};
  for (const result of results.filter((r) => r.found)) {
    paths[result.key] = result.filePath;
  }
  return paths as ModelPaths;
}
