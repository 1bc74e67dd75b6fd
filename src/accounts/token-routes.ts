/** Routes of `/6/accounts/tokens`: the caller's own API tokens. */
import type * as z from 'zod';
import { defineRoute, idParams, isoTime, PAGINATION_QUERY, type RouteDef } from '../http/index.ts';
import { TOKEN_BODY } from './account-schemas.ts';
import type { TokenRow } from './token-repository.ts';
import type { TokenService } from './token-service.ts';

const TOKEN_PARAMS = idParams('token_id');

/** The API view of a token; never its value or hash. */
export function tokenView(row: TokenRow) {
  return {
    token_id: row.tokenId,
    url: `/6/accounts/tokens/${row.tokenId}`,
    description: row.description,
    permissions: row.permissions,
    expiration_time: row.expirationTime === undefined ? null : isoTime(row.expirationTime),
    create_time: isoTime(row.createTime),
    last_update_time: isoTime(row.lastUpdateTime),
  };
}

function grantOf(body: z.infer<typeof TOKEN_BODY>) {
  return {
    permissions: body.permissions,
    description: body.description,
    expirationTime:
      body.expiration_time === undefined ? undefined : Date.parse(body.expiration_time),
  };
}

function collectionRoutes(tokens: TokenService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/accounts/tokens',
      summary: 'Issue a token with per-resource permissions; its value is shown only here',
      resource: 'tokens',
      body: { kind: 'json', schema: TOKEN_BODY },
      responses: { 201: '{token_id, token}', 403: 'wider than the calling token' },
      handler: async ({ body, account }) => {
        const issued = await tokens.issue(account, grantOf(body));
        return { status: 201, json: { token_id: issued.row.tokenId, token: issued.token } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/accounts/tokens',
      summary: 'Tokens of the own account',
      resource: 'tokens',
      query: PAGINATION_QUERY,
      responses: { 200: '{tokens, count}' },
      handler: async ({ query, account }) => {
        const { rows, count } = await tokens.query(account, {
          page: query.page,
          pageSize: query.page_size,
        });
        return { status: 200, json: { tokens: rows.map(tokenView), count } };
      },
    }),
  ];
}

function oneTokenRoutes(tokens: TokenService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/6/accounts/tokens/:token_id',
      summary: 'One token of the own account',
      resource: 'tokens',
      params: TOKEN_PARAMS,
      responses: { 200: 'the token', 404: 'no such token' },
      handler: async ({ params, account }) => ({
        status: 200,
        json: tokenView(await tokens.get(account, params.token_id)),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/6/accounts/tokens/:token_id',
      summary: 'Replace the permissions, expiration and description of a token',
      resource: 'tokens',
      params: TOKEN_PARAMS,
      body: { kind: 'json', schema: TOKEN_BODY },
      responses: { 204: 'replaced', 404: 'no such token' },
      handler: async ({ params, body, account }) => {
        await tokens.replace(account, params.token_id, grantOf(body));
        return new Response(null, { status: 204 });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/6/accounts/tokens/:token_id',
      summary: 'Revoke a token',
      resource: 'tokens',
      params: TOKEN_PARAMS,
      responses: { 204: 'revoked', 404: 'no such token' },
      handler: async ({ params, account }) => {
        await tokens.revoke(account, params.token_id);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}

/** Routes of `/6/accounts/tokens`; mount them before `/6/accounts/:account_id`. */
export function tokenRoutes(tokens: TokenService): RouteDef[] {
  return [...collectionRoutes(tokens), ...oneTokenRoutes(tokens)];
}
