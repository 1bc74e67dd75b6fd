/** Lists: named groups of faces that the matcher searches; deleting one updates the gallery. */
import { notFound } from '../errors/index.ts';
import type { Gallery } from '../matcher/index.ts';
import type { ListQuery, ListRepository, ListRow } from './list-repository.ts';

/** What the list service offers. */
export interface ListService {
  create(accountId: string, userData: string): Promise<ListRow>;
  /** `readScope`: the account to read from, or undefined for every account. */
  get(readScope: string | undefined, listId: string): Promise<ListRow>;
  query(readScope: string | undefined, q: ListQuery): Promise<{ rows: ListRow[]; count: number }>;
  update(accountId: string, listId: string, userData: string): Promise<void>;
  remove(accountId: string, listId: string, withFaces: boolean): Promise<void>;
}

/** Creates the list service. */
export function createListService(lists: ListRepository, gallery: Gallery): ListService {
  async function get(readScope: string | undefined, listId: string): Promise<ListRow> {
    const list = await lists.find(readScope, listId);
    if (!list) {
      throw notFound('list', listId);
    }
    return list;
  }

  return {
    get,
    query: (readScope, q) => lists.query(readScope, q),

    async create(accountId, userData) {
      const now = Date.now();
      const row = {
        listId: crypto.randomUUID(),
        accountId,
        createTime: now,
        lastUpdateTime: now,
        userData,
      };
      await lists.insert(row);
      return { ...row, faceCount: 0 };
    },

    async update(accountId, listId, userData) {
      if (!(await lists.updateUserData(accountId, listId, userData))) {
        throw notFound('list', listId);
      }
    },

    async remove(accountId, listId, withFaces) {
      const faceIds = await lists.remove(accountId, listId, withFaces);
      if (!faceIds) {
        throw notFound('list', listId);
      }
      gallery.dropList(listId);
      if (withFaces) {
        for (const faceId of faceIds) {
          gallery.removeFace(faceId);
        }
      }
    },
  };
}
