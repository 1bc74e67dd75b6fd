/**
 * Password hashing with argon2id (Bun.password), plus a short-lived memo of verified
 * credentials so that Basic auth does not pay a slow hash on every request.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** Hashes and verifies passwords. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** True when `password` matches `hash`; with no hash, burns the same time and says false. */
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

/** argon2id costs; the defaults are Bun's (64 MiB, 2 passes). */
export interface HashCost {
  memoryCost?: number;
  timeCost?: number;
}

const MEMO_TTL_MS = 5 * 60_000;
const MEMO_MAX_ENTRIES = 1000;

/** Creates the argon2id hasher. */
export function createPasswordHasher(cost: HashCost = {}): PasswordHasher {
  const options = { algorithm: 'argon2id' as const, ...cost };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => Bun.password.hash(password, options),
    async verify(password, hash) {
      if (hash === undefined) {
        dummy ??= Bun.password.hash(randomBytes(16).toString('hex'), options);
        await Bun.password.verify(password, await dummy);
        return false;
      }
      return Bun.password.verify(password, hash);
    },
  };
}

/**
 * Remembers which (login, password) pairs matched which stored hash. Keys are an HMAC under a
 * per-process secret, so the memo never holds a password; a changed hash misses by itself.
 */
export class VerifiedMemo {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, { hash: string; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  private keyOf(login: string, password: string): string {
    return createHmac('sha256', this.key).update(`${login}\0${password}`).digest('hex');
  }

  /** True when this pair was verified against `hash` within the TTL. */
  has(login: string, password: string, hash: string): boolean {
    const entry = this.entries.get(this.keyOf(login, password));
    return entry !== undefined && entry.hash === hash && entry.expires > this.now();
  }

  /** Records a successful verification. */
  remember(login: string, password: string, hash: string): void {
    if (this.entries.size >= MEMO_MAX_ENTRIES) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(this.keyOf(login, password), { hash, expires: this.now() + MEMO_TTL_MS });
  }
}
