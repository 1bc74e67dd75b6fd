/**
 * The image store's service for one kind of file (origin images or objects): the file is
 * written atomically before its row and removed after it, so a crash leaves at most a file
 * without a row, which the start-up check removes. Expired files read as missing at once and
 * are swept in the background.
 */
import { AppError, notFound } from '../errors/index.ts';
import type { FileStore } from './file-store.ts';
import type { StoredFileRepository, StoredFileRow, StoredKind } from './stored-file-repository.ts';

/** Bytes about to be stored and the content type they are served with. */
export interface Upload {
  bytes: Uint8Array;
  contentType: string;
}

/** Checks or converts an upload before it is stored (images: decodable, maybe JPEG). */
export type UploadPreparer = (upload: Upload) => Promise<Upload>;

/** A stored file with its bytes. */
export interface StoredFile {
  row: StoredFileRow;
  bytes: Uint8Array;
}

/** What the store offers the routes for one kind of file. */
export interface StoredFileService {
  readonly kind: StoredKind;
  put(accountId: string, upload: Upload, ttlSeconds?: number): Promise<StoredFileRow>;
  /** The file and its bytes; `accountId` undefined reads any account's (internal callers). */
  read(accountId: string | undefined, fileId: string): Promise<StoredFile>;
  describe(accountId: string | undefined, fileId: string): Promise<StoredFileRow>;
  remove(accountId: string, fileId: string): Promise<void>;
  /** Removes the rows and then the files of up to `limit` files expired at `now`. */
  sweepExpired(now: number, limit?: number): Promise<number>;
}

/** What one kind's service depends on. */
export interface StoredFileServiceDeps {
  kind: StoredKind;
  repository: StoredFileRepository;
  files: FileStore;
  prepare: UploadPreparer;
}

const SWEEP_BATCH = 500;

/** Creates the service of one kind of stored file. */
export function createStoredFileService(deps: StoredFileServiceDeps): StoredFileService {
  const { kind, repository, files, prepare } = deps;

  async function describe(accountId: string | undefined, fileId: string) {
    const row = await repository.find(accountId, fileId, Date.now());
    if (!row) {
      throw notFound(kind, fileId);
    }
    return row;
  }

  return {
    kind,
    describe,

    async put(accountId, upload, ttlSeconds) {
      if (upload.bytes.length === 0) {
        throw new AppError('bad_request', `the ${kind} is empty`);
      }
      const prepared = await prepare(upload);
      const now = Date.now();
      const row: StoredFileRow = {
        fileId: crypto.randomUUID(),
        accountId,
        kind,
        contentType: prepared.contentType,
        size: prepared.bytes.length,
        createTime: now,
        expireTime: ttlSeconds === undefined ? undefined : now + ttlSeconds * 1000,
      };
      await files.write(row.fileId, prepared.bytes);
      try {
        await repository.insert(row);
      } catch (err) {
        await files.remove(row.fileId);
        throw err;
      }
      return row;
    },

    async read(accountId, fileId) {
      const row = await describe(accountId, fileId);
      const bytes = await files.read(fileId);
      if (!bytes) {
        throw notFound(kind, fileId);
      }
      return { row, bytes };
    },

    async remove(accountId, fileId) {
      if (!(await repository.remove(accountId, fileId))) {
        throw notFound(kind, fileId);
      }
      await files.remove(fileId);
    },

    async sweepExpired(now, limit = SWEEP_BATCH) {
      const ids = await repository.removeExpired(now, limit);
      await Promise.all(ids.map((id) => files.remove(id)));
      return ids.length;
    },
  };
}
