/**
 * Time bounds of filters: an ISO-8601 instant, or `now` with an optional signed offset
 * (`now-3h`, `now+15m`, units s m h d w). Stored policies keep the text, so a relative bound
 * is resolved each time the filter is used, never once at creation.
 */

const RELATIVE = /^now(?:([+-])(\d{1,9})([smhdw]))?$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The unix milliseconds `text` stands for at `now`, or undefined when it is not a time bound. */
export function resolveTimeBound(text: string, now: number): number | undefined {
  const relative = RELATIVE.exec(text);
  if (relative) {
    const [, sign, amount, unit] = relative;
    if (!sign) {
      return now;
    }
    const offset = Number(amount) * UNIT_MS[unit!]!;
    return sign === '-' ? now - offset : now + offset;
  }
  if (!ISO.test(text)) {
    return undefined;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** True when `text` is an ISO-8601 time with offset or a `now±N<unit>` expression. */
export function isTimeBound(text: string): boolean {
  return resolveTimeBound(text, 0) !== undefined;
}
