/**
 * `lunette accounts …` and `lunette tokens …`: create accounts, reset a password, list
 * accounts and issue tokens on the box, for provisioning scripts.
 */
import type * as z from 'zod';
import {
  ACCOUNT_TYPES,
  type AccountType,
  accountView,
  LOGIN,
  type OfflineAccounts,
  PASSWORD,
  PERMISSIONS,
  PERMISSIONS_SCHEMA,
  type Permissions,
  RESOURCES,
} from '../accounts/index.ts';
import { CliError, printJson, readStdin } from './cli-io.ts';

/** Parsed options of one command. */
export type CommandOptions = Record<string, string | boolean | string[] | undefined>;

const TRUSTED = { accountId: '', accountType: 'admin' as const };

function parse<S extends z.ZodType>(schema: S, value: unknown, name: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new CliError(`--${name}: ${result.error.issues.map((i) => i.message).join('; ')}`, 2);
  }
  return result.data;
}

async function passwordOf(options: CommandOptions): Promise<string> {
  const given = options['password-stdin'] ? await readStdin() : options.password;
  if (typeof given !== 'string') {
    throw new CliError('give --password-stdin (preferred) or --password', 2);
  }
  return parse(PASSWORD, given, 'password');
}

function accountTypeOf(value: unknown): AccountType {
  const type = value ?? 'user';
  if (!ACCOUNT_TYPES.includes(type as AccountType)) {
    throw new CliError(`--type must be one of ${ACCOUNT_TYPES.join(', ')}`, 2);
  }
  return type as AccountType;
}

/** `--permission faces=view,creation` (repeated), or every permission with `--all-permissions`. */
export function permissionsOf(options: CommandOptions): Permissions {
  if (options['all-permissions']) {
    return Object.fromEntries(RESOURCES.map((r) => [r, [...PERMISSIONS]]));
  }
  const pairs = (options.permission as string[] | undefined) ?? [];
  if (pairs.length === 0) {
    throw new CliError('give --permission resource=action,… or --all-permissions', 2);
  }
  const raw = Object.fromEntries(
    pairs.map((pair) => {
      const [resource, actions = ''] = pair.split('=');
      return [resource, actions.split(',').filter(Boolean)];
    }),
  );
  return parse(PERMISSIONS_SCHEMA, raw, 'permission');
}

async function accountIdOf(offline: OfflineAccounts, options: CommandOptions): Promise<string> {
  const login = parse(LOGIN, options.login, 'login');
  const accountId = await offline.idOfLogin(login);
  if (!accountId) {
    throw new CliError(`no account with login ${login}`);
  }
  return accountId;
}

function expirationOf(value: unknown): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) {
    throw new CliError('--expires must be an ISO-8601 time', 2);
  }
  return ms;
}

async function createAccount(offline: OfflineAccounts, options: CommandOptions) {
  const accountType = accountTypeOf(options.type);
  const input = {
    login: parse(LOGIN, options.login, 'login'),
    password: await passwordOf(options),
    accountType,
    description: String(options.description ?? ''),
  };
  // The first admin takes the id that owns data stored before accounts existed.
  const row = await offline.accounts.createTrusted(
    input,
    accountType === 'admin' ? 'prefer' : 'no',
  );
  if (!row) {
    throw new CliError(`login ${String(options.login)} is taken`);
  }
  printJson(accountView(row));
}

async function setPassword(offline: OfflineAccounts, options: CommandOptions) {
  const accountId = await accountIdOf(offline, options);
  await offline.accounts.update(TRUSTED, accountId, { password: await passwordOf(options) });
  printJson({ account_id: accountId, password: 'changed' });
}

async function listAccounts(offline: OfflineAccounts) {
  const { rows } = await offline.accounts.query(TRUSTED, { page: 1, pageSize: 1000 });
  for (const row of rows) {
    printJson(accountView(row));
  }
}

async function createToken(offline: OfflineAccounts, options: CommandOptions) {
  const accountId = await accountIdOf(offline, options);
  const issued = await offline.tokens.issue(
    { accountId },
    {
      permissions: permissionsOf(options),
      description: String(options.description ?? ''),
      expirationTime: expirationOf(options.expires),
    },
  );
  printJson({ token_id: issued.row.tokenId, token: issued.token });
}

/** Runs `accounts <create|list|passwd>` or `tokens create`. */
export async function runAccountsCommand(
  offline: OfflineAccounts,
  words: string[],
  options: CommandOptions,
): Promise<void> {
  const command = words.join(' ');
  switch (command) {
    case 'accounts create':
      return createAccount(offline, options);
    case 'accounts list':
      return listAccounts(offline);
    case 'accounts passwd':
      return setPassword(offline, options);
    case 'tokens create':
      return createToken(offline, options);
    default:
      throw new CliError(`unknown command '${command}'; see --help`, 2);
  }
}
