import { describe, expect, it } from 'vitest';
import { CronError, nextCronTime, parseCron } from '../../../src/tasks/internal/cron.ts';

const at = (iso: string) => Date.parse(iso);
const next = (expr: string, after: string) => {
  const t = nextCronTime(parseCron(expr), at(after));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('cron', () => {
  it.each([
    ['* * * * *', '2026-03-01T10:15:30Z', '2026-03-01T10:16:00.000Z'],
    ['* * * * *', '2026-03-01T10:15:00Z', '2026-03-01T10:16:00.000Z'],
    ['*/15 * * * *', '2026-03-01T10:15:00Z', '2026-03-01T10:30:00.000Z'],
    ['0 * * * *', '2026-03-01T23:59:00Z', '2026-03-02T00:00:00.000Z'],
    ['30 3 * * *', '2026-03-01T04:00:00Z', '2026-03-02T03:30:00.000Z'],
    ['0 0 1 * *', '2026-12-15T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 9 * * mon-fri', '2026-03-06T09:00:00Z', '2026-03-09T09:00:00.000Z'],
    ['0 9 * * 7', '2026-03-02T00:00:00Z', '2026-03-08T09:00:00.000Z'],
    ['0 0 13 * 5', '2026-03-01T00:00:00Z', '2026-03-06T00:00:00.000Z'],
    ['5-10/5 1,2 * jan,jul *', '2026-03-01T00:00:00Z', '2026-07-01T01:05:00.000Z'],
    ['10/20 * * * *', '2026-03-01T00:31:00Z', '2026-03-01T00:50:00.000Z'],
    ['@daily', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00.000Z'],
    ['@weekly', '2026-03-02T00:00:00Z', '2026-03-08T00:00:00.000Z'],
    ['@hourly', '2026-03-01T00:00:00Z', '2026-03-01T01:00:00.000Z'],
  ])('%s after %s fires at %s', (expr, after, expected) => {
    expect(next(expr, after)).toBe(expected);
  });

  it('says when an expression never fires', () => {
    expect(next('0 0 30 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it.each([
    ['* * * *', 'expected 5 fields'],
    ['60 * * * *', 'minute'],
    ['* 24 * * *', 'hour'],
    ['* * 0 * *', 'day of month'],
    ['* * * 13 *', 'month'],
    ['* * * * 8', 'day of week'],
    ['*/0 * * * *', 'step'],
    ['5-1 * * * *', 'backwards'],
    ['1,,2 * * * *', 'minute'],
    ['a * * * *', 'minute'],
    ['1/2/3 * * * *', 'minute'],
  ])('refuses %s, naming %s', (expr, named) => {
    expect(() => parseCron(expr)).toThrow(CronError);
    expect(() => parseCron(expr)).toThrow(named);
  });
});
