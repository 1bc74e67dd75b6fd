/** Public face of the HTTP layer. */
export { createHttpApp, type HttpDeps } from './app.ts';
export type { ImageUpload } from './image-body.ts';
export { type AppEnv, clientAddressOf } from './request-context.ts';
export {
  accessOf,
  defineRoute,
  type RouteDef,
  type RouteInput,
  type RouteOutput,
} from './route.ts';
export {
  EXTERNAL_ID,
  FLAG_QUERY,
  ID,
  ID_LIST_QUERY,
  idParams,
  isoTime,
  PAGINATION_QUERY,
  roundTo,
  TIME_QUERY,
  USER_DATA,
} from './schemas.ts';
export { parseWith } from './validate.ts';
