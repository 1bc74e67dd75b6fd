import { describe, expect, it } from 'vitest';
import {
  assertMayTry,
  FailureThrottle,
  type ThrottlePolicy,
} from '../../../src/accounts/login-throttle.ts';
import { AppError } from '../../../src/errors/index.ts';

const POLICY: ThrottlePolicy = {
  freeFailures: 3,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  forgetAfterMs: 60_000,
};

function throttleAt(start = 0) {
  const clock = { now: start };
  return { clock, throttle: new FailureThrottle(POLICY, () => clock.now) };
}

describe('failure throttle', () => {
  it.each([
    [0, 0],
    [3, 0],
    [4, 1000],
    [5, 2000],
    [6, 4000],
    [7, 8000],
    [10, 8000],
  ])('after %i failures waits %i ms', (failures, wait) => {
    const { throttle } = throttleAt();
    for (let i = 0; i < failures; i++) {
      throttle.recordFailure('k');
    }
    expect(throttle.waitFor('k')).toBe(wait);
  });

  it('counts the wait down with time and forgets an idle key', () => {
    const { clock, throttle } = throttleAt();
    for (let i = 0; i < 5; i++) {
      throttle.recordFailure('k');
    }
    clock.now += 1500;
    expect(throttle.waitFor('k')).toBe(500);
    clock.now += POLICY.forgetAfterMs + 1;
    expect(throttle.waitFor('k')).toBe(0);
    throttle.recordFailure('k');
    expect(throttle.waitFor('k')).toBe(0);
  });

  it('keeps keys apart and resets one on success', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 6; i++) {
      throttle.recordFailure('a');
    }
    expect(throttle.waitFor('a')).toBeGreaterThan(0);
    expect(throttle.waitFor('b')).toBe(0);
    throttle.reset('a');
    expect(throttle.waitFor('a')).toBe(0);
  });

  it('refuses with 429 and the wait in whole seconds', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 5; i++) {
      throttle.recordFailure('k');
    }
    expect(() =>
      assertMayTry([
        [throttle, 'other'],
        [throttle, undefined],
      ]),
    ).not.toThrow();
    try {
      assertMayTry([[throttle, 'k']]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(429);
      expect((err as AppError).extra).toEqual({ retry_after: 2 });
    }
  });
});
