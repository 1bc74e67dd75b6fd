/** The list index use cases behind `/6/lists/{id}/index`: ownership first, then the gallery. */
import { AppError, notFound } from '../errors/index.ts';
import type { ListRepository } from '../lists/list-repository.ts';
import type { Gallery } from './gallery.ts';
import type { IndexStatus } from './index/index-manager.ts';

/** What the list index service offers. */
export interface ListIndexService {
  /** Status of a list's index; `readScope` undefined reads any account's list. */
  status(readScope: string | undefined, listId: string): Promise<IndexStatus>;
  /** Queues a build of the list's index (a no-op while one is queued or running). */
  build(accountId: string, listId: string): Promise<IndexStatus>;
}

/** What the list index service depends on. */
export interface ListIndexDeps {
  gallery: Gallery;
  lists: ListRepository;
}

/** Creates the list index service. */
export function createListIndexService(deps: ListIndexDeps): ListIndexService {
  const { gallery, lists } = deps;

  async function requireList(scope: string | undefined, listId: string): Promise<void> {
    if (!(await lists.find(scope, listId))) {
      throw notFound('list', listId);
    }
  }

  return {
    async status(readScope, listId) {
      await requireList(readScope, listId);
      return gallery.indexStatus(listId);
    },

    async build(accountId, listId) {
      await requireList(accountId, listId);
      if (!gallery.indexing) {
        throw new AppError('bad_request', 'list indexing is not configured on this box');
      }
      if (gallery.sizeOf(listId) === 0) {
        throw new AppError('bad_request', `list ${listId} has no face descriptors to index`);
      }
      return gallery.buildIndex(listId);
    },
  };
}
