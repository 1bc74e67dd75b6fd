/** Per-request values shared by the middleware and the route adapter. */
import type { Context } from 'hono';
import type { AccountContext } from '../accounts/index.ts';

/** Hono environment of the Lunette app. */
export interface AppEnv {
  Variables: {
    requestId: string;
    account: AccountContext;
  };
}

const REQUEST_ID_PATTERN =
  /^\d{10},[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Keeps a well-formed `Luna-Request-Id` from the client or makes a new `<unix-ts>,<uuid4>`. */
export function requestIdFrom(header: string | undefined): string {
  if (header && REQUEST_ID_PATTERN.test(header)) {
    return header;
  }
  return `${Math.floor(Date.now() / 1000)},${crypto.randomUUID()}`;
}

interface PeerAware {
  requestIP?: (request: Request) => { address: string } | null;
}

/** The connection's peer address from Bun's server (the `env` of `fetch`), when known. */
export function clientAddressOf(c: Context): string | undefined {
  const server = c.env as PeerAware | undefined;
  return server?.requestIP?.(c.req.raw)?.address ?? undefined;
}
