/**
 * Configuration: the only module that reads the environment. Parsed once at start-up; a bad
 * value stops start-up with the offending keys named.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const intFrom = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const ENV_SCHEMA = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(5000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LUNETTE_DATA_DIR: z.string().min(1).default('./data'),
  LUNETTE_DB_URL: z.string().min(1).optional(),
  LUNETTE_DB_AUTH_TOKEN: z.string().min(1).optional(),
  LUNETTE_MODELS_DIR: z
    .string()
    .min(1)
    .default(path.join(PROJECT_ROOT, 'models', 'files')),
  LUNETTE_MODELS_FROM: z.string().min(1).optional(),
  LUNETTE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  LUNETTE_MAX_BODY_BYTES: intFrom(32 * 1024 * 1024),
  LUNETTE_MAX_IMAGE_PIXELS: intFrom(50_000_000),
  LUNETTE_ATTRIBUTE_TTL_S: intFrom(3600),
  LUNETTE_INFERENCE_THREADS: intFrom(1),
});

/** The appliance's parsed configuration. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  dbUrl: string;
  dbAuthToken: string | undefined;
  modelsDir: string;
  modelsFrom: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  maxBodyBytes: number;
  maxImagePixels: number;
  attributeTtlSeconds: number;
  inferenceThreads: number;
}

/** Raised when the environment holds invalid values; names every bad key. */
export class ConfigError extends Error {
  constructor(
    readonly keys: string[],
    detail: string,
  ) {
    super(`invalid configuration (${keys.join(', ')}): ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Parses configuration from an environment map (defaults to the process environment). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ENV_SCHEMA.safeParse(env);
  if (!parsed.success) {
    const keys = parsed.error.issues.map((issue) => String(issue.path[0]));
    const detail = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ');
    throw new ConfigError([...new Set(keys)], detail);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.LUNETTE_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    dbUrl: e.LUNETTE_DB_URL ?? `file:${path.join(dataDir, 'lunette.db')}`,
    dbAuthToken: e.LUNETTE_DB_AUTH_TOKEN,
    modelsDir: path.resolve(e.LUNETTE_MODELS_DIR),
    modelsFrom: e.LUNETTE_MODELS_FROM ? path.resolve(e.LUNETTE_MODELS_FROM) : undefined,
    logLevel: e.LUNETTE_LOG_LEVEL,
    maxBodyBytes: e.LUNETTE_MAX_BODY_BYTES,
    maxImagePixels: e.LUNETTE_MAX_IMAGE_PIXELS,
    attributeTtlSeconds: e.LUNETTE_ATTRIBUTE_TTL_S,
    inferenceThreads: e.LUNETTE_INFERENCE_THREADS,
  };
}
