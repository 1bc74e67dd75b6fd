/**
 * Routes of the image store: origin images (`/6/images`) and objects of any content type
 * (`/6/objects`). The body is the file itself; `ttl` (seconds) makes it expire, and the expiry
 * time comes back in the `Luna-Expire-Time` header.
 */
import * as z from 'zod';
import { defineRoute, idParams, isoTime, type RouteDef } from '../http/index.ts';
import type { StoredFileRow } from './stored-file-repository.ts';
import type { StoredFileService } from './stored-file-service.ts';

/** Response header carrying a stored file's expiry time (ISO 8601). */
export const EXPIRE_HEADER = 'Luna-Expire-Time';

const MAX_TTL_SECONDS = 365 * 24 * 3600;
const CREATE_QUERY = z.object({
  ttl: z.coerce.number().int().min(1).max(MAX_TTL_SECONDS).optional(),
});

const NAMES = {
  image: { collection: '/6/images', param: 'image_id', resource: 'images' },
  object: { collection: '/6/objects', param: 'object_id', resource: 'objects' },
} as const;

// Stored bytes are whatever a client uploaded: never let a browser run them as a page.
const UNTRUSTED_CONTENT_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Content-Disposition': 'attachment',
};

function fileHeaders(row: StoredFileRow): Record<string, string> {
  return {
    ...UNTRUSTED_CONTENT_HEADERS,
    'Content-Type': row.contentType,
    'Content-Length': String(row.size),
    ...(row.expireTime === undefined ? {} : { [EXPIRE_HEADER]: isoTime(row.expireTime) }),
  };
}

function createdView(row: StoredFileRow, names: (typeof NAMES)[keyof typeof NAMES]) {
  return {
    [names.param]: row.fileId,
    url: `${names.collection}/${row.fileId}`,
    content_type: row.contentType,
    size: row.size,
    expire_time: row.expireTime === undefined ? null : isoTime(row.expireTime),
  };
}

async function bodyOf(request: Request) {
  const bytes = new Uint8Array(await request.arrayBuffer());
  const contentType = request.headers.get('content-type') ?? 'application/octet-stream';
  return { bytes, contentType };
}

/** The create, read, describe and delete routes of one kind of stored file. */
export function storedFileRoutes(store: StoredFileService): RouteDef[] {
  const names = NAMES[store.kind];
  const params = idParams(names.param);
  const idOf = (p: Record<string, string>) => p[names.param]!;
  return [
    defineRoute({
      method: 'post',
      path: names.collection,
      summary: `Store ${store.kind === 'image' ? 'an origin image' : 'an object'} (body: the file)`,
      resource: names.resource,
      query: CREATE_QUERY,
      responses: { 201: 'stored', 400: 'empty or unreadable', 413: 'too large' },
      handler: async ({ query, request, account }) => {
        const row = await store.put(account.accountId, await bodyOf(request), query.ttl);
        const headers =
          row.expireTime === undefined ? undefined : { [EXPIRE_HEADER]: isoTime(row.expireTime) };
        return { status: 201, json: createdView(row, names), headers };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${names.collection}/:${names.param}`,
      summary: `The stored ${store.kind}, as stored`,
      resource: names.resource,
      params,
      responses: { 200: 'the file', 404: 'missing or expired' },
      handler: async ({ params: p, account }) => {
        const file = await store.read(account.accountId, idOf(p));
        return new Response(file.bytes, { headers: fileHeaders(file.row) });
      },
    }),
    defineRoute({
      method: 'head',
      path: `${names.collection}/:${names.param}`,
      summary: `Content type, size and expiry of the stored ${store.kind}`,
      resource: names.resource,
      params,
      responses: { 200: 'it exists', 404: 'missing or expired' },
      handler: async ({ params: p, account }) => {
        const row = await store.describe(account.accountId, idOf(p));
        return new Response(null, { headers: fileHeaders(row) });
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${names.collection}/:${names.param}`,
      summary: `Delete the stored ${store.kind}`,
      resource: names.resource,
      params,
      responses: { 204: 'deleted', 404: 'missing or expired' },
      handler: async ({ params: p, account }) => {
        await store.remove(account.accountId, idOf(p));
        return new Response(null, { status: 204 });
      },
    }),
  ];
}
