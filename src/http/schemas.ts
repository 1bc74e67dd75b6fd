/** zod building blocks shared by the route schemas: ids, id lists, pagination, time filters. */
import * as z from 'zod';

/** An object id (uuid4). */
export const ID = z.uuid({ version: 'v4', error: 'must be a uuid4 object id' });

// libSQL ends a text value at a NUL character, so such a value could not be stored intact.
const NO_NUL = (s: string) => !s.includes('\u0000');
const NUL_MESSAGE = { message: 'must not contain NUL characters' };

/** Free text attached by users to objects. */
export const USER_DATA = z.string().max(128).refine(NO_NUL, NUL_MESSAGE);

/** External id a customer uses for a person. */
export const EXTERNAL_ID = z.string().min(1).max(64).refine(NO_NUL, NUL_MESSAGE);

/** A query value that may be repeated or comma-separated, parsed into a list of ids. */
export const ID_LIST_QUERY = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean))
  .pipe(z.array(ID).max(1000));

/** A 0/1 flag in the query string. */
export const FLAG_QUERY = z.enum(['0', '1']).transform((v) => v === '1');

/** An ISO-8601 time in the query string, as unix milliseconds. */
export const TIME_QUERY = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));

/** `page` (from 1) and `page_size` (1–1000, default 100). */
export const PAGINATION_QUERY = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Params of a route addressed by one object id. */
export function idParams<K extends string>(key: K) {
  return z.object({ [key]: ID } as Record<K, typeof ID>);
}

/** An ISO-8601 string for unix milliseconds, as the API returns times. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `value` rounded to `digits` decimals, for numbers the API returns. */
export function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
