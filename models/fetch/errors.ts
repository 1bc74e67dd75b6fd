/** The fetch step's one error type: a closed set of codes, each message naming file and fix. */

/** Why a model file could not be put in place. */
export type ModelFetchCode =
  | 'checksum_mismatch'
  | 'integrity_mismatch'
  | 'download_failed'
  | 'source_missing'
  | 'npm_pack_failed'
  | 'entry_missing';

/** A model file that could not be installed; `message` reads `<file>: <what>. Fix: <how>`. */
export class ModelFetchError extends Error {
  constructor(
    readonly code: ModelFetchCode,
    readonly file: string,
    readonly detail: string,
    readonly fix: string,
  ) {
    super(`${file}: ${detail}. Fix: ${fix}`);
    this.name = 'ModelFetchError';
  }

  /** Plain-data form for logs and JSON output. */
  toJSON(): Record<string, string> {
    return { code: this.code, file: this.file, detail: this.detail, fix: this.fix };
  }
}

/** Facts behind a checksum mismatch. */
export interface Mismatch {
  file: string;
  source: string;
  expectedSha256: string;
  actualSha256: string | undefined;
  actualSize: number;
  fix: string;
}

/** The documented wrong-checksum error: names file, source, expected and actual hash, fix. */
export function checksumMismatch(m: Mismatch): ModelFetchError {
  const actual = m.actualSha256 ?? `unknown (stopped after ${m.actualSize} bytes, too large)`;
  const detail =
    `checksum mismatch for ${m.source}: expected sha256 ${m.expectedSha256}, ` +
    `got ${actual}; the file was not installed`;
  return new ModelFetchError('checksum_mismatch', m.file, detail, m.fix);
}

/** Wraps an unexpected failure (network, file system) as a `ModelFetchError`. */
export function asFetchError(
  error: unknown,
  code: ModelFetchCode,
  file: string,
  fix: string,
): ModelFetchError {
  if (error instanceof ModelFetchError) {
    return error;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ModelFetchError(code, file, reason, fix);
}
