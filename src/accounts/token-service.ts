/**
 * API tokens of the caller's own account: issue (the token is shown once and stored as a
 * hash), list, read, replace the grant, revoke. A token may only hand out permissions it
 * holds itself, so a narrow token cannot mint a wider one.
 */
import { AppError, notFound } from '../errors/index.ts';
import type { AccountContext } from './account-context.ts';
import { isSubset, normalisePermissions } from './permissions.ts';
import { generateToken, hashSecret } from './secret-codec.ts';
import type { TokenGrant, TokenRepository, TokenRow } from './token-repository.ts';

/** Who is asking: the account and, for a token caller, its grant. */
export type TokenCaller = Pick<AccountContext, 'accountId' | 'token'>;

/** A new token with its secret value, which is never shown again. */
export interface IssuedToken {
  row: TokenRow;
  token: string;
}

/** What the token service offers. */
export interface TokenService {
  issue(caller: TokenCaller, grant: TokenGrant): Promise<IssuedToken>;
  get(caller: TokenCaller, tokenId: string): Promise<TokenRow>;
  query(
    caller: TokenCaller,
    page: { page: number; pageSize: number },
  ): Promise<{ rows: TokenRow[]; count: number }>;
  replace(caller: TokenCaller, tokenId: string, grant: TokenGrant): Promise<void>;
  revoke(caller: TokenCaller, tokenId: string): Promise<void>;
}

function checkGrant(caller: TokenCaller, grant: TokenGrant, now: number): TokenGrant {
  if (grant.expirationTime !== undefined && grant.expirationTime <= now) {
    throw new AppError('bad_request', 'expiration_time must be in the future');
  }
  const permissions = normalisePermissions(grant.permissions);
  if (caller.token && !isSubset(permissions, caller.token.permissions)) {
    throw new AppError('forbidden', 'a token may only grant permissions it holds');
  }
  return { ...grant, permissions };
}

/** Creates the token service. */
export function createTokenService(tokens: TokenRepository, now = Date.now): TokenService {
  return {
    async issue(caller, grant) {
      const checked = checkGrant(caller, grant, now());
      const token = generateToken();
      const row: TokenRow = {
        ...checked,
        tokenId: crypto.randomUUID(),
        accountId: caller.accountId,
        createTime: now(),
        lastUpdateTime: now(),
      };
      await tokens.insert(row, hashSecret(token));
      return { row, token };
    },

    async get(caller, tokenId) {
      const row = await tokens.find(caller.accountId, tokenId);
      if (!row) {
        throw notFound('token', tokenId);
      }
      return row;
    },

    query: (caller, page) => tokens.query(caller.accountId, page),

    async replace(caller, tokenId, grant) {
      const checked = checkGrant(caller, grant, now());
      if (!(await tokens.replace(caller.accountId, tokenId, checked))) {
        throw notFound('token', tokenId);
      }
    },

    async revoke(caller, tokenId) {
      if (!(await tokens.remove(caller.accountId, tokenId))) {
        throw notFound('token', tokenId);
      }
    },
  };
}
