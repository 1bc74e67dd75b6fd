/**
 * The route table's building block: one declarative route with its zod schemas, used both to
 * register the Hono handler and to generate the OpenAPI document.
 */
import type { z } from 'zod';
import type { Access, AccountContext, Permission } from '../accounts/index.ts';
import type { ImageUpload } from './image-body.ts';

/** HTTP methods the API uses. */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head';

/** What a route reads from its body: validated JSON, uploaded images, or nothing. */
export type BodySpec = { kind: 'json'; schema: z.ZodType } | { kind: 'images' } | { kind: 'none' };

/** The validated input a route handler receives. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  account: AccountContext;
  requestId: string;
  request: Request;
  /** Peer address of the connection, when the server knows it. */
  clientAddress: string | undefined;
}

/** A handler's answer: a JSON body with a status, or a ready Response (files, redirects). */
export type RouteOutput =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | Response;

type Infer<S> = S extends z.ZodType ? z.infer<S> : Record<string, never>;

type BodyOf<S> = S extends { kind: 'json'; schema: infer J }
  ? Infer<J>
  : S extends { kind: 'images' }
    ? ImageUpload[]
    : undefined;

/** A route as declared by a module. */
export interface RouteDef<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends BodySpec = BodySpec,
> {
  method: HttpMethod;
  /** Hono path, e.g. `/6/faces/:face_id`. */
  path: string;
  summary: string;
  /** Resource name used for token permissions and OpenAPI tags. */
  resource: string;
  /**
   * Token permission on `resource` this route needs, when not the one its method implies
   * (post creation, get/head view, patch/put modification, delete deletion). Matching, a
   * POST that changes nothing, declares `view`.
   */
  permission?: Permission;
  /** True for routes that need no credentials (version, healthcheck, docs). */
  public?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** Status → description, for the OpenAPI document. */
  responses: Record<number, string>;
  handler: (input: RouteInput<Infer<P>, Infer<Q>, BodyOf<B>>) => Promise<RouteOutput>;
}

const METHOD_PERMISSION: Record<HttpMethod, Permission> = {
  post: 'creation',
  get: 'view',
  head: 'view',
  patch: 'modification',
  put: 'modification',
  delete: 'deletion',
};

/** The resource and permission a caller needs for `route`. */
export function accessOf(route: RouteDef): Access {
  return {
    resource: route.resource,
    permission: route.permission ?? METHOD_PERMISSION[route.method],
  };
}

/** Declares a route with its input types inferred from the schemas. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends BodySpec = { kind: 'none' },
>(def: RouteDef<P, Q, B>): RouteDef {
  return def as unknown as RouteDef;
}
