/**
 * The in-memory gallery: one ListMatrix per list, holding the descriptors of the current model
 * version, plus the list indexes when indexing is configured. Loaded from libSQL at start-up and
 * kept current by the faces and lists services after each committed change.
 */
import type { Database } from '../db/index.ts';
import { createLogger, type Logger } from '../logger/index.ts';
import { loadDescriptors } from './gallery-loader.ts';
import { IndexManager, type IndexSettings, type IndexStatus } from './index/index-manager.ts';
import { ListMatrix } from './list-matrix.ts';
import type { StoragePrecision } from './quantize.ts';
import type { Scored } from './scored.ts';

/** How the gallery stores and indexes descriptors. */
export interface GalleryOptions {
  /** Storage of the exact matrices (default float32). */
  precision?: StoragePrecision;
  /** List indexing; without it every search is an exact scan. */
  index?: IndexSettings;
  logger?: Logger;
}

/** How one search runs. */
export interface SearchOptions {
  /** Scan every descriptor even when the list has an index. */
  exact?: boolean;
}

/** Descriptor matrices of every list, for one descriptor version. */
export class Gallery {
  private readonly lists = new Map<string, ListMatrix>();
  private readonly indexes: IndexManager | undefined;
  readonly precision: StoragePrecision;

  constructor(
    readonly descriptorVersion: string,
    options: GalleryOptions = {},
  ) {
    this.precision = options.precision ?? 'f32';
    const logger = options.logger ?? createLogger({ module: 'matcher' });
    this.indexes = options.index
      ? new IndexManager(options.index, descriptorVersion, (id) => this.lists.get(id), logger)
      : undefined;
  }

  /** Loads every list membership with a descriptor of this version, then the saved indexes. */
  async load(db: Database): Promise<number> {
    const loaded = await loadDescriptors(db, this.descriptorVersion, {
      reserve: (listId, rows) => this.matrixFor(listId).reserve(rows),
      add: (listId, faceId, descriptor) => this.matrixFor(listId).set(faceId, descriptor),
    });
    await this.indexes?.load([...this.lists.keys()]);
    return loaded;
  }

  /** Puts a face's descriptor into a list. */
  link(listId: string, faceId: string, descriptor: Float32Array): void {
    const outcome = this.matrixFor(listId).set(faceId, descriptor);
    this.indexes?.changed(listId, faceId, descriptor, outcome);
  }

  /** Takes a face out of a list. */
  unlink(listId: string, faceId: string): void {
    if (this.lists.get(listId)?.delete(faceId)) {
      this.indexes?.removed(listId, faceId);
    }
  }

  /** Takes a face out of every list it is in. */
  removeFace(faceId: string): void {
    for (const listId of this.lists.keys()) {
      this.unlink(listId, faceId);
    }
  }

  /** Forgets a deleted list and removes its index. */
  dropList(listId: string): void {
    this.lists.delete(listId);
    void this.indexes?.drop(listId);
  }

  /** Number of descriptors held for a list. */
  sizeOf(listId: string): number {
    return this.lists.get(listId)?.size ?? 0;
  }

  /** The best `limit` faces of a list for a unit query descriptor, through its index if any. */
  search(
    listId: string,
    query: Float32Array,
    limit: number,
    options: SearchOptions = {},
  ): Scored[] {
    const matrix = this.lists.get(listId);
    if (!matrix) {
      return [];
    }
    const index = options.exact ? undefined : this.indexes?.indexOf(listId);
    return index ? index.search(query, limit) : matrix.search(query, limit);
  }

  /** True when list indexing is configured. */
  get indexing(): boolean {
    return this.indexes !== undefined;
  }

  /** Status of a list's index (state `none` when indexing is off). */
  indexStatus(listId: string): IndexStatus {
    return this.indexes?.status(listId) ?? NO_INDEX;
  }

  /** Queues a build of a list's index; the caller checks the list exists and has faces. */
  buildIndex(listId: string): IndexStatus {
    return this.indexes?.request(listId) ?? NO_INDEX;
  }

  /** Stops index builds; saved indexes stay for the next start. */
  async close(): Promise<void> {
    await this.indexes?.close();
  }

  private matrixFor(listId: string): ListMatrix {
    let matrix = this.lists.get(listId);
    if (!matrix) {
      matrix = new ListMatrix(this.precision);
      this.lists.set(listId, matrix);
    }
    return matrix;
  }
}

const NO_INDEX: IndexStatus = {
  state: 'none',
  ready: false,
  size: 0,
  builtAt: undefined,
  pending: 0,
  removed: 0,
  precision: 'f32',
  error: undefined,
};
