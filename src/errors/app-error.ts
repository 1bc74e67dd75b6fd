/** The one error type every layer throws for a documented failure; it serialises itself. */
import { ERROR_TABLE, type ErrorCode } from './codes.ts';

const DOCS_LINK = 'https://lunette.local/docs/errors#';

/** JSON body of every error response. */
export interface ErrorBody {
  error_code: number;
  desc: string;
  detail: string;
  link: string;
}

/** A failure the API documents: a code from the closed table plus a human detail. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, detail?: string, extra?: Record<string, unknown>) {
    super(detail ?? ERROR_TABLE[code].desc);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    this.extra = extra;
  }

  /** The response body for this error. */
  toJSON(): ErrorBody & Record<string, unknown> {
    const row = ERROR_TABLE[this.code];
    return {
      error_code: row.code,
      desc: row.desc,
      detail: this.message,
      link: DOCS_LINK + this.code,
      ...this.extra,
    };
  }
}

/** Builds the 404 every lookup uses, so a missing id and a foreign id read the same. */
export function notFound(kind: string, id: string): AppError {
  return new AppError('not_found', `${kind} ${id} not found`);
}
