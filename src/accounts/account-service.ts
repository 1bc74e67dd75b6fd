/**
 * Accounts: admins create, change and delete them; everyone else sees and changes only their
 * own (password, description). Another account's id reads as missing. Deleting an account
 * erases everything it owns first.
 */
import { AppError, notFound } from '../errors/index.ts';
import type { Logger } from '../logger/index.ts';
import { type AccountContext, type AccountType, FIRST_ADMIN_ID } from './account-context.ts';
import type { ErasureReport } from './account-erasure.ts';
import type { AccountQuery, AccountRepository, AccountRow } from './account-repository.ts';
import type { PasswordHasher } from './password-hasher.ts';

/** Input of a new account. */
export interface NewAccountInput {
  login: string;
  password: string;
  accountType: AccountType;
  description: string;
}

/** What may change on an account. */
export interface AccountChange {
  password?: string;
  accountType?: AccountType;
  description?: string;
}

/** Whether a trusted creation becomes the first admin (see `createTrusted`). */
export type FirstMode = 'only' | 'prefer' | 'no';

/** Who is asking: the caller's id and type. */
export type Caller = Pick<AccountContext, 'accountId' | 'accountType'>;

/** What the account service offers. */
export interface AccountService {
  create(caller: Caller, input: NewAccountInput): Promise<AccountRow>;
  /**
   * Creates an account with no caller (the CLI on the box, first-admin provisioning); undefined
   * when the login is taken. `first`: 'only' creates it only as the very first account,
   * 'prefer' gives it the first admin's id when it is the first account.
   */
  createTrusted(input: NewAccountInput, first?: FirstMode): Promise<AccountRow | undefined>;
  get(caller: Caller, accountId: string): Promise<AccountRow>;
  query(caller: Caller, q: AccountQuery): Promise<{ rows: AccountRow[]; count: number }>;
  update(caller: Caller, accountId: string, change: AccountChange): Promise<void>;
  remove(caller: Caller, accountId: string): Promise<ErasureReport>;
}

/** What the account service depends on. */
export interface AccountServiceDeps {
  accounts: AccountRepository;
  hasher: PasswordHasher;
  erase: (accountId: string) => Promise<ErasureReport>;
  logger: Logger;
}

function requireAdmin(caller: Caller, action: string): void {
  if (caller.accountType !== 'admin') {
    throw new AppError('forbidden', `only an admin may ${action}`);
  }
}

function canSee(caller: Caller, accountId: string): boolean {
  return caller.accountType === 'admin' || caller.accountId === accountId;
}

function checkChange(caller: Caller, accountId: string, change: AccountChange): void {
  if (change.accountType === undefined) {
    return;
  }
  requireAdmin(caller, 'change an account type');
  if (accountId === caller.accountId) {
    throw new AppError('forbidden', 'an admin cannot change its own account type');
  }
}

/** Creates the account service. */
export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { accounts, hasher, logger } = deps;

  async function insertAs(row: AccountRow, first: FirstMode): Promise<AccountRow | undefined> {
    if (first !== 'no' && (await accounts.insertFirst({ ...row, accountId: FIRST_ADMIN_ID }))) {
      return { ...row, accountId: FIRST_ADMIN_ID };
    }
    if (first === 'only') {
      return undefined;
    }
    return (await accounts.insert(row)) ? row : undefined;
  }

  async function createTrusted(
    input: NewAccountInput,
    first: FirstMode = 'no',
  ): Promise<AccountRow | undefined> {
    const now = Date.now();
    const row: AccountRow = {
      accountId: crypto.randomUUID(),
      login: input.login.toLowerCase(),
      passwordHash: await hasher.hash(input.password),
      accountType: input.accountType,
      description: input.description,
      createTime: now,
      lastUpdateTime: now,
    };
    const inserted = await insertAs(row, first);
    if (inserted) {
      logger.info('account_created', {
        accountId: inserted.accountId,
        accountType: row.accountType,
      });
    }
    return inserted;
  }

  async function get(caller: Caller, accountId: string): Promise<AccountRow> {
    const row = canSee(caller, accountId) ? await accounts.find(accountId) : undefined;
    if (!row) {
      throw notFound('account', accountId);
    }
    return row;
  }

  return {
    createTrusted,
    get,

    async create(caller, input) {
      requireAdmin(caller, 'create accounts');
      const row = await createTrusted(input);
      if (!row) {
        throw new AppError('conflict', `login ${input.login} is taken`);
      }
      return row;
    },

    query(caller, q) {
      const own = caller.accountType === 'admin' ? {} : { accountId: caller.accountId };
      return accounts.query({ ...q, ...own });
    },

    async update(caller, accountId, change) {
      await get(caller, accountId);
      checkChange(caller, accountId, change);
      const passwordHash = change.password ? await hasher.hash(change.password) : undefined;
      await accounts.update(accountId, {
        passwordHash,
        accountType: change.accountType,
        description: change.description,
      });
      logger.info('account_changed', { accountId, fields: Object.keys(change) });
    },

    async remove(caller, accountId) {
      if (caller.accountType !== 'admin' && caller.accountId === accountId) {
        throw new AppError('forbidden', 'only an admin may delete accounts');
      }
      await get(caller, accountId);
      if (accountId === caller.accountId) {
        throw new AppError('forbidden', 'an admin cannot delete its own account');
      }
      const report = await deps.erase(accountId);
      logger.info('account_deleted', { accountId, ...report });
      return report;
    },
  };
}
