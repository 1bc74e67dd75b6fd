/**
 * Wiring of the image store: origin images and objects, each a folder of id-named files under
 * the data dir plus rows in libSQL; the start-up check of both and the background sweeper.
 */
import path from 'node:path';
import type { Database } from '../db/index.ts';
import type { RouteDef } from '../http/index.ts';
import type { Logger } from '../logger/index.ts';
import { createFileStore, type FileOwner } from './file-store.ts';
import { storedFileRoutes } from './routes.ts';
import { checkStore } from './store-check.ts';
import { createStoredFileRepository, type StoredKind } from './stored-file-repository.ts';
import {
  createStoredFileService,
  type StoredFileService,
  type UploadPreparer,
} from './stored-file-service.ts';
import { type ImageStoreFormat, imagePreparer, objectPreparer } from './upload-preparers.ts';

/** What the image store needs from the appliance. */
export interface ImageStoreDeps {
  db: Database;
  dataDir: string;
  /** Origin images kept as uploaded, or re-encoded to JPEG. */
  imageFormat: ImageStoreFormat;
  maxImagePixels: number;
  logger: Logger;
}

/** The image store as the appliance sees it. */
export interface ImageStore {
  images: StoredFileService;
  objects: StoredFileService;
  routes: RouteDef[];
  /** The rows whose ids name files of this store, for account erasure. */
  fileOwners: FileOwner[];
  /** Repairs both folders against their rows (run once before serving). */
  check(): Promise<void>;
  /** Sweeps expired files every `intervalMs`; returns the function that stops it. */
  startSweeper(intervalMs?: number): () => void;
}

const FOLDERS = { image: ['images', '.img'], object: ['objects', '.obj'] } as const;
const SWEEP_INTERVAL_MS = 60_000;

function openKind(deps: ImageStoreDeps, kind: StoredKind, prepare: UploadPreparer) {
  const [folder, extension] = FOLDERS[kind];
  const root = path.join(deps.dataDir, folder);
  const files = createFileStore(root, extension);
  const repository = createStoredFileRepository(deps.db, kind);
  const service = createStoredFileService({ kind, repository, files, prepare });
  const check = () => checkStore({ root, extension, files }, repository);
  const owner: FileOwner = { table: 'stored_files', idColumn: 'file_id', kind, files };
  return { service, check, owner };
}

function sweepAll(services: StoredFileService[], logger: Logger): void {
  for (const service of services) {
    service.sweepExpired(Date.now()).then(
      (removed) =>
        removed > 0 && logger.debug('stored_files_swept', { kind: service.kind, removed }),
      (error: unknown) => logger.warn('stored_file_sweep_failed', { kind: service.kind, error }),
    );
  }
}

/** Builds the image store. */
export function createImageStore(deps: ImageStoreDeps): ImageStore {
  const images = openKind(deps, 'image', imagePreparer(deps.imageFormat, deps.maxImagePixels));
  const objects = openKind(deps, 'object', objectPreparer);
  const log = deps.logger;
  return {
    images: images.service,
    objects: objects.service,
    fileOwners: [images.owner, objects.owner],
    routes: [...storedFileRoutes(images.service), ...storedFileRoutes(objects.service)],
    async check() {
      for (const [kind, part] of [
        ['image', images],
        ['object', objects],
      ] as const) {
        const report = await part.check();
        const repaired = report.tempFiles + report.filesWithoutRow + report.rowsWithoutFile.length;
        const fields = { kind, ...report, rowsWithoutFile: report.rowsWithoutFile.slice(0, 20) };
        repaired > 0
          ? log.warn('image_store_repaired', fields)
          : log.debug('image_store_checked', fields);
      }
    },
    startSweeper(intervalMs = SWEEP_INTERVAL_MS) {
      const timer = setInterval(() => sweepAll([images.service, objects.service], log), intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
