/** Builds the OpenAPI 3.1 document from the route table and its zod schemas. */
import * as z from 'zod';
import { accessOf, type RouteDef } from './route.ts';

const IMAGE_BODY = {
  content: {
    'image/*': { schema: { type: 'string', format: 'binary' } },
    'multipart/form-data': { schema: { type: 'object' } },
    'application/json': {
      schema: {
        type: 'object',
        properties: { images: { type: 'array', items: { type: 'object' } } },
      },
    },
  },
};

const SECURITY_SCHEMES = {
  basic: { type: 'http', scheme: 'basic', description: 'login (e-mail) and password' },
  bearer: { type: 'http', scheme: 'bearer', description: 'token from POST /6/accounts/tokens' },
};

function toOpenApiPath(path: string): string {
  return path.replace(/:([a-z_]+)/gi, '{$1}');
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

function parametersOf(route: RouteDef, part: 'path' | 'query') {
  const schema = part === 'path' ? route.params : route.query;
  if (!schema) {
    return [];
  }
  const props = (jsonSchema(schema).properties ?? {}) as Record<string, unknown>;
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: part,
    required: part === 'path',
    schema: s,
  }));
}

function operationOf(route: RouteDef) {
  const op: Record<string, unknown> = {
    summary: route.summary,
    tags: [route.resource],
    parameters: [...parametersOf(route, 'path'), ...parametersOf(route, 'query')],
    responses: Object.fromEntries(
      Object.entries(route.responses).map(([status, description]) => [status, { description }]),
    ),
  };
  if (route.public) {
    op.security = [];
  } else {
    op['x-permission'] = accessOf(route);
  }
  if (route.body?.kind === 'json') {
    op.requestBody = { content: { 'application/json': { schema: jsonSchema(route.body.schema) } } };
  } else if (route.body?.kind === 'images') {
    op.requestBody = IMAGE_BODY;
  }
  return op;
}

/** OpenAPI path items keyed by path, for paths served outside the route table. */
export type OpenApiPaths = Record<string, Record<string, unknown>>;

/** The OpenAPI document for `routes`, plus `extra` paths documented as given. */
export function buildOpenApi(routes: RouteDef[], version: string, extra: OpenApiPaths = {}) {
  const paths: OpenApiPaths = { ...extra };
  for (const route of routes) {
    const key = toOpenApiPath(route.path);
    paths[key] ??= {};
    paths[key][route.method] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Lunette API', version },
    components: { securitySchemes: SECURITY_SCHEMES },
    security: [{ basic: [] }, { bearer: [] }],
    paths,
  };
}
