/**
 * Configuration: the only module that reads the environment. Parsed once at start-up; a bad
 * value stops start-up with the offending keys named.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const intFrom = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `<login>:<password>`: the login an e-mail address, split at the first colon. */
const BOOTSTRAP_ADMIN = z
  .string()
  .transform((value) => {
    const colon = value.indexOf(':');
    return {
      login: value.slice(0, Math.max(colon, 0)).toLowerCase(),
      password: value.slice(colon + 1),
    };
  })
  .pipe(
    z.object({
      login: z.email({ error: 'must be <e-mail login>:<password>' }),
      password: z.string().min(10, { error: 'password must have 10 to 128 characters' }).max(128),
    }),
  );

const CALIBRATION_TEXT = /^(-?\d*\.?\d+),(\d*\.?\d+)$/;
const ENTRY_FORMAT = '<version tag>=<path to .onnx file>[@<centre cosine>,<slope>]';

/** One entry of `LUNETTE_EXTRA_RECOGNIZERS`, or the reason it is malformed. */
function parseRecognizerEntry(entry: string): ExtraRecognizerConfig | string {
  const at = entry.indexOf('=');
  const version = entry.slice(0, Math.max(at, 0));
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(version) || at === entry.length - 1) {
    return `"${entry}" must be ${ENTRY_FORMAT}`;
  }
  let file = entry.slice(at + 1);
  let calibration: ExtraRecognizerConfig['calibration'];
  // A path may hold '@': only a numeric tail after the last one is a calibration.
  const suffix = /@([-\d.,\s]*)$/.exec(file);
  const numbers = suffix && CALIBRATION_TEXT.exec(suffix[1]!);
  if (suffix && !numbers) {
    return `${version}: calibration must be <centre cosine>,<slope>, e.g. 0.31,24.7`;
  }
  if (suffix && numbers) {
    calibration = { centre: Number(numbers[1]), slope: Number(numbers[2]) };
    file = file.slice(0, suffix.index);
    if (!(calibration.centre > -1 && calibration.centre < 1 && calibration.slope > 0)) {
      return `${version}: calibration centre must lie in (-1, 1) and slope be positive`;
    }
  }
  if (file.length === 0) {
    return `"${entry}" must be ${ENTRY_FORMAT}`;
  }
  return { version, path: path.resolve(file), calibration };
}

/**
 * `<version>=<onnx file>[@<centre>,<slope>];…`: recognizers beside the shipped one for model
 * upgrades, each with the descriptor version it writes and, optionally, the logistic that maps
 * its cosines to similarity. Tags must be unique.
 */
const EXTRA_RECOGNIZERS = z.string().transform((value, ctx) => {
  const entries = value
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  const specs: ExtraRecognizerConfig[] = [];
  for (const entry of entries) {
    const spec = parseRecognizerEntry(entry);
    if (typeof spec === 'string') {
      ctx.addIssue({ code: 'custom', message: spec });
      return z.NEVER;
    }
    if (specs.some((s) => s.version === spec.version)) {
      ctx.addIssue({ code: 'custom', message: `version ${spec.version} is named twice` });
      return z.NEVER;
    }
    specs.push(spec);
  }
  return specs;
});

/** Keys replaced by `LUNETTE_EXTRA_RECOGNIZERS`: set, they stop start-up with the new form. */
const REPLACED_KEY = z
  .undefined({ error: `replaced by LUNETTE_EXTRA_RECOGNIZERS=${ENTRY_FORMAT};…` })
  .optional();

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
  LUNETTE_MAX_JSON_BYTES: intFrom(1024 * 1024),
  LUNETTE_BOOTSTRAP_ADMIN: BOOTSTRAP_ADMIN.optional(),
  LUNETTE_MAX_IMAGE_PIXELS: intFrom(50_000_000),
  LUNETTE_ATTRIBUTE_TTL_S: intFrom(3600),
  LUNETTE_INFERENCE_THREADS: intFrom(1),
  LUNETTE_MATCH_PRECISION: z.enum(['f32', 'i8']).default('i8'),
  LUNETTE_INDEX_MIN_FACES: intFrom(200_000),
  LUNETTE_INDEX_MAX_DELTA: intFrom(10_000),
  LUNETTE_INDEX_PRECISION: z.enum(['f32', 'f16', 'i8']).default('i8'),
  LUNETTE_INDEX_BUILD_THREADS: intFrom(1),
  LUNETTE_IMAGE_STORE_FORMAT: z.enum(['original', 'jpeg']).default('original'),
  LUNETTE_TASK_SLICE_MS: intFrom(20),
  LUNETTE_TASK_PAUSE_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  LUNETTE_TASK_MAX_ATTEMPTS: intFrom(3),
  LUNETTE_IMPORT_DIR: z.string().min(1).optional(),
  LUNETTE_EXTRA_RECOGNIZERS: EXTRA_RECOGNIZERS.default([]),
  LUNETTE_EXTRA_RECOGNIZER: REPLACED_KEY,
  LUNETTE_EXTRA_RECOGNIZER_CALIBRATION: REPLACED_KEY,
  MQTT_URL: z.string().min(1).optional(),
  MQTT_LISTEN: z
    .string()
    .regex(/^(off|[^\s:]+:\d{1,5})$/, { error: 'must be <host>:<port> or off' })
    .default('127.0.0.1:1883'),
  REDIS_URL: z.string().min(1).optional(),
  LUNETTE_REDIS_PREFIX: z.string().min(1).max(64).default('lunette:'),
  LUNETTE_SENDER_HTTP_ALLOW: z.string().default('loopback'),
  LUNETTE_SENDER_RETRY_MS: intFrom(1000),
  LUNETTE_SENDER_RETRY_MAX_MS: intFrom(60_000),
  LUNETTE_SENDER_RETENTION_S: intFrom(86_400),
});

/** A recognizer beside the shipped one, for model upgrades (see the README's model upgrades). */
export interface ExtraRecognizerConfig {
  version: string;
  path: string;
  /** Its similarity calibration; the shipped recognizer's when not given. */
  calibration: { centre: number; slope: number } | undefined;
}

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
  /** Cap of JSON request bodies; image uploads are capped by `maxBodyBytes`. */
  maxJsonBytes: number;
  /** First admin to create on a box with no account; ignored once any account exists. */
  bootstrapAdmin: { login: string; password: string } | undefined;
  maxImagePixels: number;
  attributeTtlSeconds: number;
  inferenceThreads: number;
  /** Storage of the exact matcher's descriptors: float32, or int8 (a quarter of the memory). */
  matchPrecision: 'f32' | 'i8';
  /** Faces at which a list gets an HNSW index without being asked. */
  indexMinFaces: number;
  /** Faces added plus removed since a list's index build at which it is rebuilt. */
  indexMaxDelta: number;
  /** Vector storage inside the HNSW index files. */
  indexPrecision: 'f32' | 'f16' | 'i8';
  /** Threads an index build uses (the serving thread keeps the rest). */
  indexBuildThreads: number;
  /** Origin images in the image store: kept as uploaded, or re-encoded to JPEG. */
  imageStoreFormat: 'original' | 'jpeg';
  /** Tasks: longest run of work between two yields to the event loop, in milliseconds. */
  taskSliceMs: number;
  /** Tasks: pause between two slices, in milliseconds (0 yields without waiting). */
  taskPauseMs: number;
  /** Tasks: starts a task may have (restarts included) before it is failed. */
  taskMaxAttempts: number;
  /** The only folder the estimator task reads archives and image folders from. */
  importDir: string;
  /** Recognizers to extract and later switch to (or keep serving); none by default. */
  extraRecognizers: ExtraRecognizerConfig[];
  /** Sender: outside systems and delivery settings (issue 5). */
  sender: SenderConfig;
}

/** Sender settings: brokers, Redis, HTTP callback hosts, retries and pruning. */
export interface SenderConfig {
  /** External broker to publish to; the embedded one runs when absent. */
  mqttUrl: string | undefined;
  /** Embedded broker address, or undefined when switched off (`MQTT_LISTEN=off`). */
  mqttListen: { host: string; port: number } | undefined;
  /** Redis for temporary attributes and WebSocket fan-out; in-process when absent. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel (several appliances may share one Redis). */
  redisPrefix: string;
  /** Hosts HTTP callbacks may reach: `loopback`, host names and IP addresses. */
  httpAllow: string[];
  /** First retry delay of a failed delivery; doubles per attempt up to `retryMaxMs`. */
  retryMs: number;
  retryMaxMs: number;
  /** Delivered rows older than this are pruned. */
  retentionSeconds: number;
}

function listenAddress(value: string): SenderConfig['mqttListen'] {
  if (value === 'off') {
    return undefined;
  }
  const colon = value.lastIndexOf(':');
  return { host: value.slice(0, colon), port: Number(value.slice(colon + 1)) };
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
    maxJsonBytes: e.LUNETTE_MAX_JSON_BYTES,
    bootstrapAdmin: e.LUNETTE_BOOTSTRAP_ADMIN,
    maxImagePixels: e.LUNETTE_MAX_IMAGE_PIXELS,
    attributeTtlSeconds: e.LUNETTE_ATTRIBUTE_TTL_S,
    inferenceThreads: e.LUNETTE_INFERENCE_THREADS,
    matchPrecision: e.LUNETTE_MATCH_PRECISION,
    indexMinFaces: e.LUNETTE_INDEX_MIN_FACES,
    indexMaxDelta: e.LUNETTE_INDEX_MAX_DELTA,
    indexPrecision: e.LUNETTE_INDEX_PRECISION,
    indexBuildThreads: e.LUNETTE_INDEX_BUILD_THREADS,
    imageStoreFormat: e.LUNETTE_IMAGE_STORE_FORMAT,
    taskSliceMs: e.LUNETTE_TASK_SLICE_MS,
    taskPauseMs: e.LUNETTE_TASK_PAUSE_MS,
    taskMaxAttempts: e.LUNETTE_TASK_MAX_ATTEMPTS,
    importDir: path.resolve(e.LUNETTE_IMPORT_DIR ?? path.join(dataDir, 'import')),
    extraRecognizers: e.LUNETTE_EXTRA_RECOGNIZERS,
    sender: {
      mqttUrl: e.MQTT_URL,
      mqttListen: listenAddress(e.MQTT_LISTEN),
      redisUrl: e.REDIS_URL,
      redisPrefix: e.LUNETTE_REDIS_PREFIX,
      httpAllow: e.LUNETTE_SENDER_HTTP_ALLOW.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      retryMs: e.LUNETTE_SENDER_RETRY_MS,
      retryMaxMs: e.LUNETTE_SENDER_RETRY_MAX_MS,
      retentionSeconds: e.LUNETTE_SENDER_RETENTION_S,
    },
  };
}
