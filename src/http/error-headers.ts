/** Response headers some errors carry: the auth challenge of a 401, the wait of a 429. */
import type { AppError } from '../errors/index.ts';

const CHALLENGE = 'Basic realm="lunette", Bearer realm="lunette"';

/** Headers to send with `err`'s response. */
export function errorHeaders(err: AppError): Record<string, string> {
  if (err.code === 'unauthorized') {
    return { 'WWW-Authenticate': CHALLENGE };
  }
  if (err.code === 'too_many_requests' && typeof err.extra?.retry_after === 'number') {
    return { 'Retry-After': String(err.extra.retry_after) };
  }
  return {};
}
