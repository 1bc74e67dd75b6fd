/** A tiny client over `app.request` for integration tests: JSON and image requests. */
import type { Hono } from 'hono';
import type { AppEnv } from '../../src/http/index.ts';

/** A response with its parsed JSON body (undefined when the body is not JSON). */
export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

async function toApiResponse(res: Response): Promise<ApiResponse> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** Sends requests to an in-process app, adding `headers` (e.g. Authorization) to each. */
export function apiClient(app: Hono<AppEnv>, headers: Record<string, string> = {}) {
  const send = async (method: string, url: string, body?: RequestInit['body'], type?: string) => {
    const h = new Headers(headers);
    if (type) {
      h.set('Content-Type', type);
    }
    return toApiResponse(await app.request(url, { method, headers: h, body }));
  };
  return {
    get: (url: string) => send('GET', url),
    delete: (url: string) => send('DELETE', url),
    postJson: (url: string, json: unknown) =>
      send('POST', url, JSON.stringify(json), 'application/json'),
    patchJson: (url: string, json: unknown) =>
      send('PATCH', url, JSON.stringify(json), 'application/json'),
    postBytes: (url: string, bytes: Uint8Array, type = 'image/jpeg') =>
      send('POST', url, bytes as RequestInit['body'], type),
    postForm: (url: string, form: FormData) => send('POST', url, form),
    raw: (url: string, init: RequestInit) => {
      const h = new Headers(headers);
      new Headers(init.headers).forEach((value, key) => {
        h.set(key, value);
      });
      return app.request(url, { ...init, headers: h });
    },
  };
}

/** The client type. */
export type ApiClient = ReturnType<typeof apiClient>;
