import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthenticator, createLoginThrottles } from '../../../src/accounts/authenticator.ts';
import type { Access, Authenticator } from '../../../src/accounts/index.ts';
import { createTokenService } from '../../../src/accounts/token-service.ts';
import { AppError } from '../../../src/errors/index.ts';
import { basicAuth, bearerAuth } from '../../helpers/credentials.ts';
import { type AccountsFixture, openAccountsFixture } from './fixture.ts';

const PASSWORD = 'long enough password';
const VIEW_FACES: Access = { resource: 'faces', permission: 'view' };

let fx: AccountsFixture;
let authenticate: Authenticator;
let clock: { now: number };
let userId: string;

function request(headers: Record<string, string>) {
  return new Request('http://lunette/6/faces', { headers });
}

async function statusOf(headers: Record<string, string>, access = VIEW_FACES, address?: string) {
  try {
    await authenticate({ request: request(headers), clientAddress: address }, access);
    return 200;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).status;
  }
}

beforeEach(async () => {
  fx = await openAccountsFixture();
  clock = { now: Date.now() };
  const input = { password: PASSWORD, accountType: 'user' as const, description: '' };
  userId = (await fx.service.createTrusted({ ...input, login: 'user@x.io' }))!.accountId;
  await fx.service.createTrusted({ ...input, login: 'other@x.io', accountType: 'advanced_user' });
  authenticate = createAuthenticator({
    accounts: fx.repositories.accounts,
    tokens: fx.repositories.tokens,
    hasher: fx.hasher,
    throttles: createLoginThrottles(() => clock.now),
    now: () => clock.now,
  });
});

afterEach(async () => {
  await fx.dispose();
});

describe('basic auth', () => {
  it('resolves a login and password to the account and its read scope', async () => {
    const context = await authenticate(
      { request: request(basicAuth('USER@x.io', PASSWORD)), clientAddress: undefined },
      VIEW_FACES,
    );
    expect(context).toEqual({ accountId: userId, accountType: 'user', readScope: userId });
    const advanced = await authenticate(
      { request: request(basicAuth('other@x.io', PASSWORD)), clientAddress: undefined },
      VIEW_FACES,
    );
    expect(advanced.readScope).toBeUndefined();
  });

  it.each([
    [{}],
    [{ Authorization: 'Basic' }],
    [{ Authorization: 'Basic !!!' }],
    [{ Authorization: 'Digest abc' }],
    [basicAuth('user@x.io', 'wrong password')],
    [basicAuth('nobody@x.io', PASSWORD)],
    [bearerAuth('lnt_unknown')],
  ])('answers 401 for %j', async (headers) => {
    expect(await statusOf(headers)).toBe(401);
  });
});

describe('throttling', () => {
  it('refuses a login after repeated failures, even with the right password', async () => {
    for (let i = 0; i < 6; i++) {
      expect(await statusOf(basicAuth('user@x.io', 'wrong password'))).toBe(401);
    }
    expect(await statusOf(basicAuth('user@x.io', PASSWORD))).toBe(429);
    expect(await statusOf(basicAuth('other@x.io', PASSWORD))).toBe(200);
    clock.now += 1001;
    expect(await statusOf(basicAuth('user@x.io', PASSWORD))).toBe(200);
  });

  it('refuses one client address after many failures across logins', async () => {
    for (let i = 0; i < 21; i++) {
      await statusOf(basicAuth(`guess${i}@x.io`, 'wrong password'), VIEW_FACES, '10.0.0.9');
    }
    expect(await statusOf(basicAuth('user@x.io', PASSWORD), VIEW_FACES, '10.0.0.9')).toBe(429);
    expect(await statusOf(basicAuth('user@x.io', PASSWORD), VIEW_FACES, '10.0.0.10')).toBe(200);
  });
});

describe('bearer auth', () => {
  async function tokenWith(permissions: Record<string, string[]>, expirationTime?: number) {
    const tokens = createTokenService(fx.repositories.tokens, () => clock.now);
    const grant = { permissions: permissions as never, description: '', expirationTime };
    return (await tokens.issue({ accountId: userId }, grant)).token;
  }

  it('allows what the token grants and answers 403 for anything else', async () => {
    const token = await tokenWith({ faces: ['view'], lists: ['creation'] });
    expect(await statusOf(bearerAuth(token))).toBe(200);
    expect(await statusOf(bearerAuth(token), { resource: 'lists', permission: 'creation' })).toBe(
      200,
    );
    expect(await statusOf(bearerAuth(token), { resource: 'faces', permission: 'deletion' })).toBe(
      403,
    );
    expect(await statusOf(bearerAuth(token), { resource: 'samples', permission: 'view' })).toBe(
      403,
    );
  });

  it('carries the token into the context and stops at its expiration', async () => {
    const token = await tokenWith({ faces: ['view'] }, clock.now + 60_000);
    const context = await authenticate(
      { request: request(bearerAuth(token)), clientAddress: undefined },
      VIEW_FACES,
    );
    expect(context.token?.permissions).toEqual({ faces: ['view'] });
    clock.now += 60_000;
    expect(await statusOf(bearerAuth(token))).toBe(401);
  });

  it('stops working once the account is deleted', async () => {
    const token = await tokenWith({ faces: ['view'] });
    const admin = { accountId: crypto.randomUUID(), accountType: 'admin' as const };
    await fx.service.remove(admin, userId);
    expect(await statusOf(bearerAuth(token))).toBe(401);
    expect(await statusOf(basicAuth('user@x.io', PASSWORD))).toBe(401);
  });
});
