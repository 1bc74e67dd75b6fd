/**
 * Throttling of failed logins, per key (a login, a client address, the setup secret): a few
 * failures are free, then each further one doubles the wait before the key may try again.
 * Attempts inside the wait are refused with 429 before any credential is checked.
 */
import { AppError } from '../errors/index.ts';

/** How one kind of key is throttled. */
export interface ThrottlePolicy {
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** Wait after the first failure past the free ones; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no failure for this long starts afresh. */
  forgetAfterMs: number;
}

/** Per login: five tries, then 1 s, 2 s, 4 s … up to 15 minutes. */
export const LOGIN_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 30 * 60_000,
};

/** Per client address: looser, since several people may share one address. */
export const ADDRESS_POLICY: ThrottlePolicy = { ...LOGIN_POLICY, freeFailures: 20 };

const MAX_KEYS = 10_000;

interface FailureState {
  failures: number;
  last: number;
}

/** Failure counts of many keys under one policy, held in memory. */
export class FailureThrottle {
  private readonly state = new Map<string, FailureState>();

  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  private current(key: string): FailureState | undefined {
    const entry = this.state.get(key);
    if (entry && this.now() - entry.last > this.policy.forgetAfterMs) {
      this.state.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Milliseconds `key` must still wait before its next attempt; 0 when it may try now. */
  waitFor(key: string): number {
    const entry = this.current(key);
    const extra = entry ? entry.failures - this.policy.freeFailures : 0;
    if (!entry || extra <= 0) {
      return 0;
    }
    const delay = Math.min(this.policy.baseDelayMs * 2 ** (extra - 1), this.policy.maxDelayMs);
    return Math.max(0, entry.last + delay - this.now());
  }

  /** Counts one failed attempt of `key`. */
  recordFailure(key: string): void {
    const entry = this.current(key) ?? { failures: 0, last: 0 };
    entry.failures += 1;
    entry.last = this.now();
    this.state.delete(key);
    this.state.set(key, entry);
    if (this.state.size > MAX_KEYS) {
      this.state.delete(this.state.keys().next().value!);
    }
  }

  /** Forgets the failures of `key` (after a successful login). */
  reset(key: string): void {
    this.state.delete(key);
  }
}

/** Throws 429 with the longest wait among `checks`, if any key must still wait. */
export function assertMayTry(checks: [FailureThrottle, string | undefined][]): void {
  const waits = checks.map(([throttle, key]) => (key === undefined ? 0 : throttle.waitFor(key)));
  const wait = Math.max(0, ...waits);
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    throw new AppError('too_many_requests', `too many failed attempts; retry in ${seconds} s`, {
      retry_after: seconds,
    });
  }
}
