/** Routes of `/6/accounts` (accounts) and `/6/setup` (the first admin). */
import { defineRoute, idParams, isoTime, PAGINATION_QUERY, type RouteDef } from '../http/index.ts';
import type { AccountRow } from './account-repository.ts';
import {
  ACCOUNT_PATCH_BODY,
  ACCOUNT_TYPE,
  LOGIN,
  NEW_ACCOUNT_BODY,
  SETUP_BODY,
} from './account-schemas.ts';
import type { AccountService } from './account-service.ts';
import type { FirstAdminSetup } from './first-admin.ts';

const QUERY = PAGINATION_QUERY.extend({
  account_type: ACCOUNT_TYPE.optional(),
  login: LOGIN.optional(),
});

const ACCOUNT_PARAMS = idParams('account_id');

/** The API view of an account; never its password hash. */
export function accountView(row: AccountRow) {
  return {
    account_id: row.accountId,
    url: `/6/accounts/${row.accountId}`,
    login: row.login,
    account_type: row.accountType,
    description: row.description,
    create_time: isoTime(row.createTime),
    last_update_time: isoTime(row.lastUpdateTime),
  };
}

function created(row: AccountRow) {
  return { status: 201, json: { account_id: row.accountId, url: `/6/accounts/${row.accountId}` } };
}

function collectionRoutes(accounts: AccountService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/accounts',
      summary: 'Create an account (admin only)',
      resource: 'accounts',
      body: { kind: 'json', schema: NEW_ACCOUNT_BODY },
      responses: { 201: 'created', 403: 'not an admin', 409: 'login taken' },
      handler: async ({ body, account }) => {
        const row = await accounts.create(account, {
          login: body.login,
          password: body.password,
          accountType: body.account_type,
          description: body.description,
        });
        return created(row);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/accounts',
      summary: 'Accounts: every account for an admin, the own one for anyone else',
      resource: 'accounts',
      query: QUERY,
      responses: { 200: '{accounts, count}' },
      handler: async ({ query, account }) => {
        const { rows, count } = await accounts.query(account, {
          accountType: query.account_type,
          login: query.login,
          page: query.page,
          pageSize: query.page_size,
        });
        return { status: 200, json: { accounts: rows.map(accountView), count } };
      },
    }),
  ];
}

function oneAccountRoutes(accounts: AccountService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/6/accounts/:account_id',
      summary: 'One account (any for an admin, the own one for anyone else)',
      resource: 'accounts',
      params: ACCOUNT_PARAMS,
      responses: { 200: 'the account', 404: 'no such account' },
      handler: async ({ params, account }) => ({
        status: 200,
        json: accountView(await accounts.get(account, params.account_id)),
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/6/accounts/:account_id',
      summary: 'Change password or description; an admin may change the type of others',
      resource: 'accounts',
      params: ACCOUNT_PARAMS,
      body: { kind: 'json', schema: ACCOUNT_PATCH_BODY },
      responses: { 204: 'changed', 403: 'not allowed', 404: 'no such account' },
      handler: async ({ params, body, account }) => {
        await accounts.update(account, params.account_id, {
          password: body.password,
          accountType: body.account_type,
          description: body.description,
        });
        return new Response(null, { status: 204 });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/6/accounts/:account_id',
      summary: 'Delete an account and everything it owns (admin only, not the own one)',
      resource: 'accounts',
      params: ACCOUNT_PARAMS,
      responses: { 204: 'deleted', 403: 'not allowed', 404: 'no such account' },
      handler: async ({ params, account }) => {
        await accounts.remove(account, params.account_id);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}

/** The public route that creates the first admin with the setup secret. */
export function setupRoute(setup: FirstAdminSetup): RouteDef {
  return defineRoute({
    method: 'post',
    path: '/6/setup',
    summary: 'Create the first admin with the one-time secret from <data dir>/setup-token',
    resource: 'accounts',
    public: true,
    body: { kind: 'json', schema: SETUP_BODY },
    responses: { 201: 'created', 401: 'wrong secret', 409: 'already done', 429: 'throttled' },
    handler: async ({ body, clientAddress }) => {
      const row = await setup.complete(
        {
          setupToken: body.setup_token,
          login: body.login,
          password: body.password,
          description: body.description,
        },
        clientAddress,
      );
      return created(row);
    },
  });
}

/** Routes of `/6/accounts` and `/6/accounts/{id}`. */
export function accountRoutes(accounts: AccountService): RouteDef[] {
  return [...collectionRoutes(accounts), ...oneAccountRoutes(accounts)];
}
