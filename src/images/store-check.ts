/**
 * The start-up check of a file store against its rows: temp files of interrupted writes are
 * deleted, files without a row (a crash between file and row) are deleted, and rows whose
 * file is gone (lost outside the appliance) are deleted and reported.
 */
import { rm } from 'node:fs/promises';
import type { FileStore } from './file-store.ts';
import { listStore } from './store-scan.ts';

/** What the check found and repaired. */
export interface StoreCheckReport {
  tempFiles: number;
  filesWithoutRow: number;
  rowsWithoutFile: string[];
}

/** The rows side of the check. */
export interface RowIndex {
  allIds(): Promise<Set<string>>;
  removeMany(ids: string[]): Promise<void>;
}

/** Where the files lie. */
export interface StoreLocation {
  root: string;
  extension: string;
  files: FileStore;
}

/** Makes files and rows agree again; run before the store serves requests. */
export async function checkStore(
  location: StoreLocation,
  rows: RowIndex,
): Promise<StoreCheckReport> {
  const listing = await listStore(location.root, location.extension);
  await Promise.all(listing.strays.map((file) => rm(file, { force: true })));
  const rowIds = await rows.allIds();
  const orphans = [...listing.ids].filter((id) => !rowIds.has(id));
  await Promise.all(orphans.map((id) => location.files.remove(id)));
  const missing = [...rowIds].filter((id) => !listing.ids.has(id));
  await rows.removeMany(missing);
  return {
    tempFiles: listing.strays.length,
    filesWithoutRow: orphans.length,
    rowsWithoutFile: missing,
  };
}
