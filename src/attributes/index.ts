/** Public face of the attributes module. */
export {
  type AttributeRecord,
  type AttributeStore,
  type BasicAttributes,
  createSqlAttributeStore,
} from './attribute-store.ts';
export { startAttributeSweeper } from './attribute-sweeper.ts';
export {
  type AttributeService,
  createAttributeService,
  type ExtractOptions,
} from './extract-service.ts';
export { createRedisAttributeStore } from './redis-attribute-store.ts';
export { attributeRoutes, attributeView, basicView } from './routes.ts';
