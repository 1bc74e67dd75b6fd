/** Public face of the image store: id-named files, origin images and objects with TTL. */
export { createFileStore, type FileOwner, type FileStore } from './file-store.ts';
export { createImageStore, type ImageStore, type ImageStoreDeps } from './image-store.ts';
export { EXPIRE_HEADER } from './routes.ts';
export { checkStore, type StoreCheckReport } from './store-check.ts';
export type { StoredFileRow, StoredKind } from './stored-file-repository.ts';
export type { StoredFileService } from './stored-file-service.ts';
export type { ImageStoreFormat } from './upload-preparers.ts';
