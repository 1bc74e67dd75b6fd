/**
 * Who a request acts for and what it may do: the account every stored object and query is
 * scoped to, its type, the scope of its reads, and the permissions of the token it came with.
 */

/** Account types, from least to most privileged. */
export const ACCOUNT_TYPES = ['user', 'advanced_user', 'admin'] as const;

/** One account type. */
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** The four actions a token permission can grant on a resource. */
export const PERMISSIONS = ['creation', 'view', 'modification', 'deletion'] as const;

/** One action on a resource. */
export type Permission = (typeof PERMISSIONS)[number];

/** A token's grants: resource name → actions allowed on it. */
export type Permissions = Partial<Record<string, Permission[]>>;

/** What one route needs from its caller: an action on a resource. */
export interface Access {
  resource: string;
  permission: Permission;
}

/** The caller of one request, resolved by the authenticator. */
export interface AccountContext {
  accountId: string;
  accountType: AccountType;
  /**
   * The account whose faces and lists reads and matches may see: the caller's own id, or
   * undefined for every account (advanced_user and admin). Writes always use `accountId`.
   */
  readScope: string | undefined;
  /** Set when the request came with a Bearer token. */
  token?: { tokenId: string; permissions: Permissions };
}

/** The parts of a request the authenticator reads. */
export interface AuthRequest {
  request: Request;
  /** The peer address of the connection, when the server knows it. */
  clientAddress: string | undefined;
}

/** Resolves the caller of a request and checks `access`, or throws an AppError (401/403/429). */
export type Authenticator = (auth: AuthRequest, access: Access) => Promise<AccountContext>;

/**
 * Id of the first admin account. Data stored before accounts existed carries it, so the first
 * admin of an upgraded box owns that data.
 */
export const FIRST_ADMIN_ID = '00000000-0000-4000-8000-000000000000';

/** The context of an account acting with its password (no token limits). */
export function contextOf(account: {
  accountId: string;
  accountType: AccountType;
}): AccountContext {
  return {
    accountId: account.accountId,
    accountType: account.accountType,
    readScope: account.accountType === 'user' ? account.accountId : undefined,
  };
}
