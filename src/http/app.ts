/**
 * The HTTP app: request id, body limits, authentication and authorisation per route, one
 * access-log line per request, the route table mounted on Hono, and the single error handler
 * that renders every failure.
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Authenticator } from '../accounts/index.ts';
import { AppError } from '../errors/index.ts';
import type { Logger } from '../logger/index.ts';
import { errorHeaders } from './error-headers.ts';
import { readImageUploads } from './image-body.ts';
import { readJson } from './json-body.ts';
import { buildOpenApi, type OpenApiPaths } from './openapi.ts';
import { type AppEnv, clientAddressOf, requestIdFrom } from './request-context.ts';
import { accessOf, type RouteDef, type RouteOutput } from './route.ts';
import { parseWith } from './validate.ts';

/** What the HTTP app needs from the rest of the appliance. */
export interface HttpDeps {
  routes: RouteDef[];
  authenticate: Authenticator;
  maxBodyBytes: number;
  /** Cap of JSON bodies (image uploads are capped by `maxBodyBytes` only). */
  maxJsonBytes: number;
  version: string;
  logger: Logger;
  /** Runs each route handler inside it (the gallery pins one descriptor version per request). */
  around?: <T>(fn: () => T) => T;
  /** Paths served outside the route table (the WebSocket stream), for the OpenAPI document. */
  documentedPaths?: OpenApiPaths;
}

function queryObject(c: Context): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    out[key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

async function readBody(route: RouteDef, request: Request, maxJson: number): Promise<unknown> {
  if (route.body?.kind === 'images') {
    return readImageUploads(request);
  }
  if (route.body?.kind !== 'json') {
    return undefined;
  }
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError('unsupported_media_type', 'send the body as application/json');
  }
  return parseWith(route.body.schema, await readJson(request, maxJson), 'body');
}

function render(c: Context, output: RouteOutput): Response {
  if (output instanceof Response) {
    return output;
  }
  return c.json(output.json as object, output.status as 200, output.headers);
}

function mountRoute(app: Hono<AppEnv>, route: RouteDef, deps: HttpDeps): void {
  const access = accessOf(route);
  const around = deps.around ?? ((fn) => fn());
  app.on(route.method.toUpperCase(), route.path, (c) => around(() => handle(c)));

  async function handle(c: Context<AppEnv>): Promise<Response> {
    const clientAddress = clientAddressOf(c);
    if (!route.public) {
      c.set('account', await deps.authenticate({ request: c.req.raw, clientAddress }, access));
    }
    const params = route.params ? parseWith(route.params, c.req.param(), 'params') : {};
    const query = route.query ? parseWith(route.query, queryObject(c), 'query') : {};
    const body = await readBody(route, c.req.raw, deps.maxJsonBytes);
    const output = await route.handler({
      params,
      query,
      body,
      account: c.get('account'),
      requestId: c.get('requestId'),
      request: c.req.raw,
      clientAddress,
    } as never);
    return render(c, output);
  }
}

function errorResponse(c: Context<AppEnv>, err: Error, logger: Logger): Response {
  if (err instanceof AppError) {
    return c.json(err.toJSON(), err.status as 400, errorHeaders(err));
  }
  if (err.name === 'AbortError' || c.req.raw.signal.aborted) {
    // The client went away or stopped sending its body: nothing failed on this side.
    logger.info('request_aborted', { requestId: c.get('requestId'), reason: err.message });
    return c.json(
      new AppError('bad_request', 'request aborted before its body arrived').toJSON(),
      400,
    );
  }
  logger.error('request_failed', { requestId: c.get('requestId'), error: err });
  return c.json(new AppError('internal_error').toJSON(), 500);
}

/** Builds the Hono app serving `deps.routes` plus the OpenAPI document. */
export function createHttpApp(deps: HttpDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const log = deps.logger.child({ module: 'http' });
  app.use(async (c, next) => {
    const started = performance.now();
    c.set('requestId', requestIdFrom(c.req.header('Luna-Request-Id')));
    await next();
    c.header('Luna-Request-Id', c.get('requestId'));
    log.info('request', {
      requestId: c.get('requestId'),
      accountId: c.get('account')?.accountId,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      durationMs: Math.round(performance.now() - started),
    });
  });
  app.use(
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      onError: () => {
        throw new AppError('payload_too_large', `body over ${deps.maxBodyBytes} bytes`);
      },
    }),
  );
  const spec = buildOpenApi(deps.routes, deps.version, deps.documentedPaths);
  app.get('/6/docs/spec', (c) => c.json(spec));
  for (const route of deps.routes) {
    mountRoute(app, route, deps);
  }
  app.notFound((c) => errorResponse(c, new AppError('route_not_found'), log));
  app.onError((err, c) => errorResponse(c, err, log));
  return app;
}
