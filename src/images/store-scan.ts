/**
 * Walks a file store's folder (`<root>/<2-char shard>/<id><extension>`): the ids of complete
 * files, and the temp files an interrupted write left behind.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

// The ids a file store accepts (see file-store.ts).
const STORE_ID = /^[0-9a-zA-Z-]{8,64}$/;

/** What lies in a store folder. */
export interface StoreListing {
  /** Ids of complete files. */
  ids: Set<string>;
  /** Absolute paths of temp files (`*.tmp`) and of names that are no store file. */
  strays: string[];
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return [];
    }
    throw err;
  }
}

/** Lists the store rooted at `root` whose files end in `extension`. */
export async function listStore(root: string, extension: string): Promise<StoreListing> {
  const listing: StoreListing = { ids: new Set(), strays: [] };
  for (const shard of await entries(root)) {
    for (const name of await entries(path.join(root, shard))) {
      const id = name.endsWith(extension) ? name.slice(0, name.length - extension.length) : '';
      if (id.startsWith(shard) && STORE_ID.test(id)) {
        listing.ids.add(id);
      } else {
        listing.strays.push(path.join(root, shard, name));
      }
    }
  }
  return listing;
}
