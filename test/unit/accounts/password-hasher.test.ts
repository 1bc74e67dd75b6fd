import { describe, expect, it } from 'vitest';
import { createPasswordHasher, VerifiedMemo } from '../../../src/accounts/password-hasher.ts';
import { generateToken, hashSecret, secretMatches } from '../../../src/accounts/secret-codec.ts';

describe('password hasher', () => {
  const hasher = createPasswordHasher();

  it('stores argon2id hashes that verify only the right password', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain('correct horse');
    expect(await hasher.verify('correct horse battery', hash)).toBe(true);
    expect(await hasher.verify('correct horse batterY', hash)).toBe(false);
    expect(await hasher.hash('correct horse battery')).not.toBe(hash);
  });

  it('says false for a missing account without skipping the work', async () => {
    const started = performance.now();
    expect(await hasher.verify('anything at all', undefined)).toBe(false);
    expect(await hasher.verify('anything at all', undefined)).toBe(false);
    expect(performance.now() - started).toBeGreaterThan(5);
  });
});

describe('verified memo', () => {
  it('remembers a pair only for the hash it matched and only for a while', () => {
    const clock = { now: 0 };
    const memo = new VerifiedMemo(() => clock.now);
    memo.remember('a@x.io', 'secret password', 'hash-1');
    expect(memo.has('a@x.io', 'secret password', 'hash-1')).toBe(true);
    expect(memo.has('a@x.io', 'secret password', 'hash-2')).toBe(false);
    expect(memo.has('a@x.io', 'other password', 'hash-1')).toBe(false);
    clock.now += 10 * 60_000;
    expect(memo.has('a@x.io', 'secret password', 'hash-1')).toBe(false);
  });
});

describe('secret codec', () => {
  it('makes distinct tokens and matches them against their stored hash', () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^lnt_[A-Za-z0-9_-]{43}$/);
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches(a, hashSecret(a))).toBe(true);
    expect(secretMatches(b, hashSecret(a))).toBe(false);
  });
});
