/**
 * Files of the image store under the data dir, sharded by id prefix. Writes are atomic
 * (temp file, fsync, rename) so a crash never leaves a partial file under a final name.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Rows of one table whose ids name files in `files`: erasing an account removes those files
 * with the rows. `kind` narrows the rows to those whose `kind` column has that value.
 */
export interface FileOwner {
  table: string;
  idColumn: string;
  kind?: string;
  files: FileStore;
}

/** A folder of id-named files. */
export interface FileStore {
  write(id: string, bytes: Uint8Array): Promise<void>;
  /** The file's bytes, or undefined when it does not exist. */
  read(id: string): Promise<Uint8Array | undefined>;
  remove(id: string): Promise<void>;
}

const SAFE_ID = /^[0-9a-zA-Z-]{8,64}$/;

function fileOf(root: string, id: string, extension: string): string {
  if (!SAFE_ID.test(id)) {
    throw new Error(`unsafe file id: ${id}`);
  }
  return path.join(root, id.slice(0, 2), `${id}${extension}`);
}

async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${crypto.randomUUID()}.tmp`;
  const handle = await open(temp, 'w', 0o640);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
}

/** Opens a file store rooted at `root`, naming files `<id><extension>`. */
export function createFileStore(root: string, extension: string): FileStore {
  return {
    write: async (id, bytes) => writeAtomically(fileOf(root, id, extension), bytes),
    read: async (id) => {
      try {
        return new Uint8Array(await readFile(fileOf(root, id, extension)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          return undefined;
        }
        throw err;
      }
    },
    remove: (id) => rm(fileOf(root, id, extension), { force: true }),
  };
}
