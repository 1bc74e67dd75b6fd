/** Random secrets shown once (API tokens, the setup secret) and the hashes stored for them. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_PREFIX = 'lnt_';

/** A new API token: a prefix plus 32 random bytes, base64url. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** A new one-time setup secret. */
export function generateSetupSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256 of a secret, hex. A fast hash suffices: these secrets carry 256 random bits, so
 * the stored hash cannot be reversed by guessing.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares a secret with a stored hash in constant time. */
export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
