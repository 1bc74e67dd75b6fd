/** Accounts and tokens made through the API for integration tests. */
import type { Hono } from 'hono';
import { expect } from 'vitest';
import type { AccountType, Permissions } from '../../src/accounts/index.ts';
import type { AppEnv } from '../../src/http/index.ts';
import { type ApiClient, apiClient } from './api-client.ts';
import { basicAuth, bearerAuth } from './credentials.ts';

/** An account made for a test, with a client that signs in as it. */
export interface TestAccount {
  accountId: string;
  login: string;
  password: string;
  auth: Record<string, string>;
  api: ApiClient;
}

/** Creates an account of `accountType` through an admin's client. */
export async function createAccount(
  app: Hono<AppEnv>,
  admin: ApiClient,
  accountType: AccountType,
  name: string,
): Promise<TestAccount> {
  const login = `${name}@lunette.test`;
  const password = `${name}-password-0`;
  const res = await admin.postJson('/6/accounts', { login, password, account_type: accountType });
  expect(res.status).toBe(201);
  const auth = basicAuth(login, password);
  return { accountId: res.body.account_id, login, password, auth, api: apiClient(app, auth) };
}

/** Issues a token through `api`; returns its id, value and a client that uses it. */
export async function issueToken(
  app: Hono<AppEnv>,
  api: ApiClient,
  permissions: Permissions,
  expirationTime?: string,
) {
  const res = await api.postJson('/6/accounts/tokens', {
    permissions,
    expiration_time: expirationTime,
  });
  expect(res.status).toBe(201);
  const { token_id: tokenId, token } = res.body as { token_id: string; token: string };
  return { tokenId, token, api: apiClient(app, bearerAuth(token)) };
}
