/** Who a request acts for: the account every stored object and every query is scoped to. */

/** Account types, from least to most privileged. */
export type AccountType = 'user' | 'advanced_user' | 'admin';

/** The caller of one request, resolved by the authenticator. */
export interface AccountContext {
  accountId: string;
  accountType: AccountType;
}

/** The single built-in account every request acts as until accounts are configured. */
export const BUILT_IN_ACCOUNT: AccountContext = {
  accountId: '00000000-0000-4000-8000-000000000000',
  accountType: 'admin',
};

/** Resolves the caller of a request or throws an AppError (401/403). */
export type Authenticator = (request: Request) => Promise<AccountContext>;

/** The authenticator of a box with no accounts: everyone is the built-in account. */
export const builtInAuthenticator: Authenticator = async () => BUILT_IN_ACCOUNT;
