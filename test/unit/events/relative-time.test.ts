import { describe, expect, it } from 'vitest';
import { isTimeBound, resolveTimeBound } from '../../../src/events/relative-time.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('relative time', () => {
  it.each([
    ['now', NOW],
    ['now-3h', NOW - 3 * 3_600_000],
    ['now+15m', NOW + 15 * 60_000],
    ['now-30s', NOW - 30_000],
    ['now-2d', NOW - 2 * 86_400_000],
    ['now-1w', NOW - 604_800_000],
    ['2026-03-10T10:00:00Z', Date.parse('2026-03-10T10:00:00Z')],
    ['2026-03-10T10:00:00.250+02:00', Date.parse('2026-03-10T08:00:00.250Z')],
  ])('resolves %s', (text, want) => {
    expect(resolveTimeBound(text, NOW)).toBe(want);
  });

  it.each(['now-3', 'now-h', 'now -3h', 'yesterday', '2026-03-10', '2026-03-10T10:00:00', ''])(
    'refuses %j',
    (text) => {
      expect(resolveTimeBound(text, NOW)).toBeUndefined();
      expect(isTimeBound(text)).toBe(false);
    },
  );

  it('resolves a relative bound anew at each use', () => {
    expect(resolveTimeBound('now-1h', NOW + 60_000)).toBe(NOW + 60_000 - 3_600_000);
  });
});
