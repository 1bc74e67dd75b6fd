/**
 * Wiring of the accounts module: repositories, services, the authenticator, first-admin
 * provisioning and the routes, built from the database and a few outside parts.
 */
import type { Database } from '../db/index.ts';
import type { RouteDef } from '../http/index.ts';
import type { FileOwner } from '../images/index.ts';
import type { Logger } from '../logger/index.ts';
import type { Authenticator } from './account-context.ts';
import { eraseAccountData, type GalleryEraser } from './account-erasure.ts';
import { createAccountRepository } from './account-repository.ts';
import { accountRoutes, setupRoute } from './account-routes.ts';
import { type AccountService, createAccountService } from './account-service.ts';
import { createAuthenticator, createLoginThrottles } from './authenticator.ts';
import { prepareFirstAdmin } from './first-admin.ts';
import { ADDRESS_POLICY, FailureThrottle } from './login-throttle.ts';
import { createPasswordHasher, type HashCost } from './password-hasher.ts';
import { createTokenRepository } from './token-repository.ts';
import { tokenRoutes } from './token-routes.ts';
import { createTokenService, type TokenService } from './token-service.ts';

/** What the accounts module needs from the appliance. */
export interface AccountsDeps {
  db: Database;
  dataDir: string;
  bootstrapAdmin: { login: string; password: string } | undefined;
  /** Tables whose rows name files, erased with an account; app.ts adds owners as it opens them. */
  fileOwners: FileOwner[];
  gallery: GalleryEraser;
  logger: Logger;
  hashCost?: HashCost;
}

/** The accounts module as the rest of the appliance sees it. */
export interface AccountsModule {
  authenticate: Authenticator;
  accounts: AccountService;
  tokens: TokenService;
  routes: RouteDef[];
}

/** Builds the accounts module and provisions the first admin if none exists. */
export async function createAccountsModule(deps: AccountsDeps): Promise<AccountsModule> {
  const repository = createAccountRepository(deps.db);
  const tokenRepository = createTokenRepository(deps.db);
  const hasher = createPasswordHasher(deps.hashCost);
  const throttles = createLoginThrottles();
  const accounts = createAccountService({
    accounts: repository,
    hasher,
    erase: (accountId) => eraseAccountData(deps, accountId),
    logger: deps.logger,
  });
  const tokens = createTokenService(tokenRepository);
  const setup = await prepareFirstAdmin({
    dataDir: deps.dataDir,
    bootstrapAdmin: deps.bootstrapAdmin,
    accounts: repository,
    service: accounts,
    addresses: throttles.addresses,
    global: new FailureThrottle(ADDRESS_POLICY),
    logger: deps.logger,
  });
  const authenticate = createAuthenticator({
    accounts: repository,
    tokens: tokenRepository,
    hasher,
    throttles,
  });
  const routes = [setupRoute(setup), ...tokenRoutes(tokens), ...accountRoutes(accounts)];
  return { authenticate, accounts, tokens, routes };
}

/** The account and token services for tools on the box (the CLI), without the HTTP app. */
export interface OfflineAccounts {
  accounts: AccountService;
  tokens: TokenService;
  /** The id of the account with `login`, or undefined. */
  idOfLogin(login: string): Promise<string | undefined>;
}

/**
 * Builds the services over `db` for provisioning. Deleting is left to the API, because only the
 * running appliance can also drop the account's faces from its in-memory gallery.
 */
export function createOfflineAccounts(db: Database, logger: Logger): OfflineAccounts {
  const repository = createAccountRepository(db);
  const accounts = createAccountService({
    accounts: repository,
    hasher: createPasswordHasher(),
    erase: () => Promise.reject(new Error('delete accounts through DELETE /6/accounts/{id}')),
    logger,
  });
  return {
    accounts,
    tokens: createTokenService(createTokenRepository(db)),
    idOfLogin: async (login) => (await repository.findByLogin(login.toLowerCase()))?.accountId,
  };
}
