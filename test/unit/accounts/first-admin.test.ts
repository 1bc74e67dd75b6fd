import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareFirstAdmin, SETUP_TOKEN_FILE } from '../../../src/accounts/first-admin.ts';
import { FIRST_ADMIN_ID } from '../../../src/accounts/index.ts';
import { ADDRESS_POLICY, FailureThrottle } from '../../../src/accounts/login-throttle.ts';
import { AppError } from '../../../src/errors/index.ts';
import { createLogger } from '../../../src/logger/index.ts';
import { type AccountsFixture, openAccountsFixture } from './fixture.ts';

const ADMIN = { login: 'root@x.io', password: 'long enough password' };

let fx: AccountsFixture;

function prepare(bootstrapAdmin?: typeof ADMIN) {
  return prepareFirstAdmin({
    dataDir: fx.dir,
    bootstrapAdmin,
    accounts: fx.repositories.accounts,
    service: fx.service,
    addresses: new FailureThrottle(ADDRESS_POLICY),
    global: new FailureThrottle(ADDRESS_POLICY),
    logger: createLogger({ module: 'test' }),
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return err instanceof AppError ? err.code : undefined;
}

const secretFile = () => path.join(fx.dir, SETUP_TOKEN_FILE);

beforeEach(async () => {
  fx = await openAccountsFixture();
});

afterEach(async () => {
  await fx.dispose();
});

describe('bootstrap admin', () => {
  it('creates the admin on an empty box and writes no setup secret', async () => {
    const setup = await prepare(ADMIN);
    const row = await fx.repositories.accounts.findByLogin(ADMIN.login);
    expect(row).toMatchObject({ accountId: FIRST_ADMIN_ID, accountType: 'admin' });
    expect(existsSync(secretFile())).toBe(false);
    const input = { setupToken: 'x', ...ADMIN, description: '' };
    expect(await codeOf(setup.complete(input, undefined))).toBe('setup_completed');
  });

  it('is ignored once an account exists', async () => {
    await prepare(ADMIN);
    await prepare({ login: 'second@x.io', password: 'another long password' });
    expect(await fx.repositories.accounts.findByLogin('second@x.io')).toBeUndefined();
    expect(await fx.repositories.accounts.count()).toBe(1);
  });
});

describe('setup secret', () => {
  it('is written 0600, works once, and is removed after', async () => {
    const setup = await prepare();
    expect((await stat(secretFile())).mode & 0o777).toBe(0o600);
    const secret = (await readFile(secretFile(), 'utf8')).trim();
    const input = { setupToken: secret, ...ADMIN, description: 'first' };
    expect(await codeOf(setup.complete({ ...input, setupToken: 'wrong' }, '10.0.0.1'))).toBe(
      'unauthorized',
    );
    const row = await setup.complete(input, '10.0.0.1');
    expect(row.accountId).toBe(FIRST_ADMIN_ID);
    expect(existsSync(secretFile())).toBe(false);
    expect(await codeOf(setup.complete(input, '10.0.0.1'))).toBe('setup_completed');
  });

  it('throttles guessing', async () => {
    const setup = await prepare();
    const input = { setupToken: 'wrong', ...ADMIN, description: '' };
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 22; i++) {
      codes.push(await codeOf(setup.complete(input, '10.0.0.1')));
    }
    expect(codes.slice(0, 21).every((c) => c === 'unauthorized')).toBe(true);
    expect(codes[21]).toBe('too_many_requests');
  });

  it('is replaced by a fresh one on restart and dropped once an admin exists', async () => {
    await prepare();
    const first = await readFile(secretFile(), 'utf8');
    await prepare();
    expect(await readFile(secretFile(), 'utf8')).not.toBe(first);
    await fx.service.createTrusted({ ...ADMIN, accountType: 'admin', description: '' });
    await prepare();
    expect(existsSync(secretFile())).toBe(false);
  });
});
