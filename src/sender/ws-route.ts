/**
 * `GET /6/ws`: a WebSocket stream of the caller's account's events, sent by handlers with a
 * `ws` callback, narrowed by the event filters given as query parameters. Authentication is
 * the API's (Basic or Bearer with `events` view permission); browsers, which cannot set headers
 * on a WebSocket, pass a token as `access_token` in the query instead. The stream never carries
 * another account's events, whatever the account type.
 */
import type { Context, Hono } from 'hono';
import { upgradeWebSocket } from 'hono/bun';
import * as z from 'zod';
import type { Authenticator } from '../accounts/index.ts';
import { AppError } from '../errors/index.ts';
import { EVENT_FILTERS_QUERY, type EventFilters, failedFilters } from '../events/index.ts';
import { type AppEnv, clientAddressOf, parseWith } from '../http/index.ts';
import type { EventHub, HubMessage } from './event-hub.ts';

const WS_QUERY = EVENT_FILTERS_QUERY.omit({ page: true, page_size: true });

/** Query parameter that carries a Bearer token where no header can be set. */
const TOKEN_PARAM = 'access_token';

function queryOf(c: Context): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    if (key !== TOKEN_PARAM) {
      out[key] = values.length === 1 ? (values[0] as string) : values;
    }
  }
  return out;
}

/** The request to authenticate: the query token as a Bearer header when no header is sent. */
function credentialsOf(c: Context): Request {
  const token = c.req.query(TOKEN_PARAM);
  if (token === undefined || c.req.header('authorization') !== undefined) {
    return c.req.raw;
  }
  const headers = new Headers(c.req.raw.headers);
  headers.set('authorization', `Bearer ${token}`);
  return new Request(c.req.raw.url, { method: 'GET', headers });
}

function forwarder(accountId: string, filters: EventFilters, send: (text: string) => void) {
  return (m: HubMessage) => {
    if (m.accountId === accountId && failedFilters(filters, m.subject, Date.now()).length === 0) {
      send(m.payload);
    }
  };
}

/** The OpenAPI entry of `GET /6/ws`, which upgrades to a WebSocket outside the route table. */
export const WS_OPENAPI = {
  '/6/ws': {
    get: {
      summary: "WebSocket stream of your account's events from handlers with a `ws` callback",
      tags: ['events'],
      'x-permission': { resource: 'events', permission: 'view' },
      parameters: [
        {
          name: TOKEN_PARAM,
          in: 'query',
          required: false,
          description: 'an API token, for clients that cannot set an Authorization header',
          schema: { type: 'string' },
        },
        ...Object.entries(
          (z.toJSONSchema(WS_QUERY, { io: 'input', unrepresentable: 'any' }).properties ??
            {}) as Record<string, unknown>,
        ).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
      ],
      responses: {
        101: 'switched to a WebSocket: one text message per event (the event JSON)',
        400: 'not a WebSocket upgrade, or a bad filter',
        401: 'missing or invalid credentials',
        403: 'no events view permission',
        429: 'too many failed attempts from this address',
      },
    },
  },
};

/** Mounts `GET /6/ws` on `app`; Bun.serve must be given `websocket` from `hono/bun`. */
export function mountWsRoute(app: Hono<AppEnv>, hub: EventHub, authenticate: Authenticator) {
  app.get('/6/ws', async (c, next) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new AppError('bad_request', 'GET /6/ws needs a WebSocket upgrade');
    }
    const account = await authenticate(
      { request: credentialsOf(c), clientAddress: clientAddressOf(c) },
      { resource: 'events', permission: 'view' },
    );
    const filters = parseWith(WS_QUERY, queryOf(c), 'query');
    let stop: (() => void) | undefined;
    const upgrade = upgradeWebSocket(() => ({
      onOpen: (_event, ws) => {
        stop = hub.listen(forwarder(account.accountId, filters, (text) => ws.send(text)));
      },
      onClose: () => stop?.(),
    }));
    return upgrade(c, next);
  });
}
