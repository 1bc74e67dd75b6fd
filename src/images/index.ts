/** Public face of the image store. */
export { createFileStore, type FileStore } from './file-store.ts';
