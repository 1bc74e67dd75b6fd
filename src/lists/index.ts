/** Public face of the lists module. */
export {
  createListRepository,
  type ListQuery,
  type ListRepository,
  type ListRow,
} from './list-repository.ts';
export { createListService, type ListService } from './list-service.ts';
export { listRoutes, listView } from './routes.ts';
