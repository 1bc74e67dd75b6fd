/**
 * The first admin of an empty box. No default password exists: either
 * `LUNETTE_BOOTSTRAP_ADMIN` names one (used only while no account exists), or a one-time setup
 * secret is written to `<data dir>/setup-token` (mode 0600) and `POST /6/setup` with it
 * creates the admin once, after which the file is removed.
 */
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/index.ts';
import type { Logger } from '../logger/index.ts';
import type { AccountRepository, AccountRow } from './account-repository.ts';
import type { AccountService } from './account-service.ts';
import { assertMayTry, type FailureThrottle } from './login-throttle.ts';
import { generateSetupSecret, hashSecret, secretMatches } from './secret-codec.ts';

/** Name of the setup secret file inside the data dir. */
export const SETUP_TOKEN_FILE = 'setup-token';

/** What first-admin provisioning needs. */
export interface FirstAdminDeps {
  dataDir: string;
  bootstrapAdmin: { login: string; password: string } | undefined;
  accounts: AccountRepository;
  service: AccountService;
  /** Counts failed setup attempts per client address. */
  addresses: FailureThrottle;
  /** Counts failed setup attempts of all clients together. */
  global: FailureThrottle;
  logger: Logger;
}

/** The admin created by `POST /6/setup`. */
export interface SetupInput {
  setupToken: string;
  login: string;
  password: string;
  description: string;
}

/** The setup step of this process. */
export interface FirstAdminSetup {
  /** Creates the first admin if the secret matches and no account exists yet. */
  complete(input: SetupInput, clientAddress: string | undefined): Promise<AccountRow>;
}

const GLOBAL_KEY = 'setup';

async function writeSecretFile(file: string, secret: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await rm(file, { force: true });
  // Created exclusively with mode 0600, so the secret is never readable by others.
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`${secret}\n`);
  } finally {
    await handle.close();
  }
}

async function openSetup(deps: FirstAdminDeps, file: string): Promise<string | undefined> {
  if ((await deps.accounts.count()) > 0) {
    if (deps.bootstrapAdmin) {
      deps.logger.info('bootstrap_admin_ignored', { reason: 'accounts exist' });
    }
    await rm(file, { force: true });
    return undefined;
  }
  if (deps.bootstrapAdmin) {
    const input = { ...deps.bootstrapAdmin, accountType: 'admin' as const, description: '' };
    await deps.service.createTrusted(input, 'only');
    await rm(file, { force: true });
    deps.logger.info('bootstrap_admin_created', { login: input.login.toLowerCase() });
    return undefined;
  }
  const secret = generateSetupSecret();
  await writeSecretFile(file, secret);
  deps.logger.warn('setup_required', { setupTokenFile: file, route: 'POST /6/setup' });
  return hashSecret(secret);
}

/** Provisions the first admin at start-up and returns the setup step of this process. */
export async function prepareFirstAdmin(deps: FirstAdminDeps): Promise<FirstAdminSetup> {
  const file = path.join(deps.dataDir, SETUP_TOKEN_FILE);
  let secretHash = await openSetup(deps, file);

  function check(input: SetupInput, address: string | undefined): void {
    assertMayTry([
      [deps.global, GLOBAL_KEY],
      [deps.addresses, address],
    ]);
    if (secretHash === undefined) {
      throw new AppError('setup_completed', 'the first admin exists; sign in instead');
    }
    if (!secretMatches(input.setupToken, secretHash)) {
      deps.global.recordFailure(GLOBAL_KEY);
      if (address !== undefined) {
        deps.addresses.recordFailure(address);
      }
      throw new AppError('unauthorized', 'wrong setup token');
    }
  }

  return {
    async complete(input, address) {
      check(input, address);
      const { login, password, description } = input;
      const row = await deps.service.createTrusted(
        { login, password, description, accountType: 'admin' },
        'only',
      );
      secretHash = undefined;
      await rm(file, { force: true });
      if (!row) {
        throw new AppError('setup_completed', 'the first admin exists; sign in instead');
      }
      deps.logger.info('setup_completed', { accountId: row.accountId });
      return row;
    },
  };
}
