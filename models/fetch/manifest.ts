/**
 * The model manifest (`models/manifest.json`): its schema, its types and its loader. The one
 * place that knows which models the appliance needs and which are optional extras.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

/** Models the appliance cannot start without. */
export const REQUIRED_MODEL_KEYS = [
  'detector',
  'recognizer',
  'age',
  'gender',
  'livenessV2',
  'livenessV1se',
] as const;

/** Extras fetched from the same tarball; start-up works without them. */
export const OPTIONAL_MODEL_KEYS = ['expression', 'eye', 'pose'] as const;

/** Role of a required model. */
export type RequiredModelKey = (typeof REQUIRED_MODEL_KEYS)[number];

/** Role of an optional model. */
export type OptionalModelKey = (typeof OPTIONAL_MODEL_KEYS)[number];

/** Role of any model in the manifest. */
export type ModelKey = RequiredModelKey | OptionalModelKey;

/** Where `models/manifest.json` lives. */
export const MANIFEST_PATH = fileURLToPath(new URL('../manifest.json', import.meta.url));

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex sha256');
const HTTP_URL = z.url().regex(/^https?:\/\//, 'http(s) URL');
// Exact versions only: a range would let the tarball change under a fixed integrity.
const PINNED_PACKAGE = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*@\d+\.\d+\.\d+$/;

const GITHUB_SOURCE = z.object({
  kind: z.literal('github'),
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  path: z.string().min(1),
  urls: z.array(HTTP_URL).min(1),
});

const NPM_SOURCE = z.object({
  kind: z.literal('npm'),
  package: z.string().regex(PINNED_PACKAGE, 'name@x.y.z'),
  path: z.string().min(1),
});

const INPUT_SPEC = z.object({
  name: z.string().min(1),
  shape: z.array(z.union([z.number().int().positive(), z.string().min(1)])),
  layout: z.enum(['NCHW']),
  color: z.enum(['BGR', 'RGB', 'GRAY']),
  normalize: z.string().min(1),
  crop: z.string().min(1),
});

const MODEL = z.object({
  key: z.enum([...REQUIRED_MODEL_KEYS, ...OPTIONAL_MODEL_KEYS]),
  // A bare file name: it becomes a path component, so no separators and no leading dot.
  file: z.string().regex(/^[A-Za-z0-9_][\w.-]*\.onnx$/),
  name: z.string().min(1),
  version: z.string().min(1),
  sha256: SHA256,
  size: z.number().int().positive(),
  optional: z.boolean(),
  license: z.string().min(1),
  source: z.discriminatedUnion('kind', [GITHUB_SOURCE, NPM_SOURCE]),
  input: INPUT_SPEC,
});

const PACKAGE = z.object({
  integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]+={0,2}$/, 'sha512-<base64>'),
  license: z.string().min(1),
});

const MANIFEST = z
  .object({
    schema: z.literal(1),
    packages: z.record(z.string(), PACKAGE),
    models: z.array(MODEL),
  })
  .superRefine((manifest, ctx) => {
    for (const problem of findInconsistencies(manifest)) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });

/** The parsed manifest. */
export type ModelManifest = z.infer<typeof MANIFEST>;

/** One model row of the manifest. */
export type ModelEntry = ModelManifest['models'][number];

/** A model row fetched from a GitHub repository. */
export type GithubModelEntry = ModelEntry & { source: z.infer<typeof GITHUB_SOURCE> };

/** A model row extracted from an npm package tarball. */
export type NpmModelEntry = ModelEntry & { source: z.infer<typeof NPM_SOURCE> };

/** Raised when the manifest file is unreadable or breaks the schema. */
export class ManifestError extends Error {
  constructor(detail: string) {
    super(`invalid model manifest: ${detail}`);
    this.name = 'ManifestError';
  }
}

function findInconsistencies(manifest: z.infer<typeof MANIFEST>): string[] {
  const problems: string[] = [];
  const keys = manifest.models.map((m) => m.key);
  const files = manifest.models.map((m) => m.file);
  if (new Set(keys).size !== keys.length || new Set(files).size !== files.length) {
    problems.push('model keys and files must be unique');
  }
  for (const key of REQUIRED_MODEL_KEYS) {
    if (!keys.includes(key)) {
      problems.push(`required model "${key}" is missing`);
    }
  }
  for (const model of manifest.models) {
    problems.push(...checkModelRow(model, manifest.packages));
  }
  return problems;
}

function checkModelRow(model: ModelEntry, packages: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const isOptionalKey = (OPTIONAL_MODEL_KEYS as readonly string[]).includes(model.key);
  if (model.optional !== isOptionalKey) {
    problems.push(`model "${model.key}" has optional=${model.optional}, expected ${isOptionalKey}`);
  }
  if (model.source.kind === 'npm' && !(model.source.package in packages)) {
    problems.push(`model "${model.key}" names package ${model.source.package}, not in packages`);
  }
  return problems;
}

/** Validates a manifest object (parsed JSON); throws `ManifestError` naming each problem. */
export function parseManifest(value: unknown): ModelManifest {
  const parsed = MANIFEST.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new ManifestError(detail);
  }
  return parsed.data;
}

/** Reads and validates the manifest file (defaults to `models/manifest.json`). */
export async function loadManifest(manifestPath: string = MANIFEST_PATH): Promise<ModelManifest> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw new ManifestError(`cannot read ${manifestPath}: ${(error as Error).message}`);
  }
  try {
    return parseManifest(JSON.parse(text));
  } catch (error) {
    if (error instanceof ManifestError) {
      throw error;
    }
    throw new ManifestError(`${manifestPath} is not JSON: ${(error as Error).message}`);
  }
}

/** True when the row comes from a GitHub repository. */
export function isGithubModel(model: ModelEntry): model is GithubModelEntry {
  return model.source.kind === 'github';
}

/** True when the row comes from an npm package tarball. */
export function isNpmModel(model: ModelEntry): model is NpmModelEntry {
  return model.source.kind === 'npm';
}
