/**
 * The authenticator: resolves `Authorization: Basic` (login and password) or `Bearer` (API
 * token) to an account, enforces the token's permissions, and throttles failed attempts per
 * login and per client address. Every failure reads the same 401, whatever went wrong.
 */
import { AppError } from '../errors/index.ts';
import {
  type Access,
  type AccountContext,
  type Authenticator,
  contextOf,
} from './account-context.ts';
import type { AccountRepository } from './account-repository.ts';
import { ADDRESS_POLICY, assertMayTry, FailureThrottle, LOGIN_POLICY } from './login-throttle.ts';
import { type PasswordHasher, VerifiedMemo } from './password-hasher.ts';
import { allows } from './permissions.ts';
import { hashSecret } from './secret-codec.ts';
import type { TokenRepository } from './token-repository.ts';

/** What the authenticator reads. */
export interface AuthenticatorDeps {
  accounts: AccountRepository;
  tokens: TokenRepository;
  hasher: PasswordHasher;
  /** Failure counters; shared with the setup route so both throttle one address. */
  throttles?: LoginThrottles;
  now?: () => number;
}

/** The failure counters of logins and of client addresses. */
export interface LoginThrottles {
  logins: FailureThrottle;
  addresses: FailureThrottle;
}

/** New, empty counters with the default policies. */
export function createLoginThrottles(now: () => number = Date.now): LoginThrottles {
  return {
    logins: new FailureThrottle(LOGIN_POLICY, now),
    addresses: new FailureThrottle(ADDRESS_POLICY, now),
  };
}

const MAX_LOGIN_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 128;

function unauthorized(): AppError {
  return new AppError('unauthorized', 'send valid Basic or Bearer credentials');
}

/** `login:password` of a Basic header, or undefined when malformed. */
export function parseBasic(encoded: string): { login: string; password: string } | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    return undefined;
  }
  const login = decoded.slice(0, colon).toLowerCase();
  const password = decoded.slice(colon + 1);
  if (login.length > MAX_LOGIN_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return undefined;
  }
  return { login, password };
}

function splitAuthorization(header: string | null): { scheme: string; value: string } {
  const match = header?.match(/^\s*(\S+)\s+(\S+)\s*$/);
  if (!match) {
    throw unauthorized();
  }
  return { scheme: match[1]!.toLowerCase(), value: match[2]! };
}

/** Creates the Basic/Bearer authenticator. */
export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const now = deps.now ?? Date.now;
  const throttles = deps.throttles ?? createLoginThrottles(now);
  const memo = new VerifiedMemo(now);

  async function checkPassword(login: string, password: string) {
    const account = await deps.accounts.findByLogin(login);
    if (account && memo.has(login, password, account.passwordHash)) {
      return account;
    }
    const ok = await deps.hasher.verify(password, account?.passwordHash);
    if (!ok || !account) {
      return undefined;
    }
    memo.remember(login, password, account.passwordHash);
    return account;
  }

  async function fromBasic(encoded: string, address: string | undefined) {
    const credentials = parseBasic(encoded);
    if (!credentials) {
      throw unauthorized();
    }
    const loginKey = credentials.login;
    assertMayTry([
      [throttles.logins, loginKey],
      [throttles.addresses, address],
    ]);
    const account = await checkPassword(credentials.login, credentials.password);
    if (!account) {
      throttles.logins.recordFailure(loginKey);
      if (address !== undefined) {
        throttles.addresses.recordFailure(address);
      }
      throw unauthorized();
    }
    throttles.logins.reset(loginKey);
    return contextOf(account);
  }

  async function fromBearer(token: string, address: string | undefined, access: Access) {
    assertMayTry([[throttles.addresses, address]]);
    const found = await deps.tokens.findByHash(hashSecret(token));
    if (!found || (found.expirationTime !== undefined && found.expirationTime <= now())) {
      if (address !== undefined) {
        throttles.addresses.recordFailure(address);
      }
      throw unauthorized();
    }
    if (!allows(found.permissions, access)) {
      throw new AppError(
        'forbidden',
        `this token lacks '${access.permission}' on '${access.resource}'`,
      );
    }
    const context: AccountContext = contextOf(found);
    context.token = { tokenId: found.tokenId, permissions: found.permissions };
    return context;
  }

  return async ({ request, clientAddress }, access) => {
    const { scheme, value } = splitAuthorization(request.headers.get('authorization'));
    if (scheme === 'basic') {
      return fromBasic(value, clientAddress);
    }
    if (scheme === 'bearer') {
      return fromBearer(value, clientAddress, access);
    }
    throw unauthorized();
  };
}
