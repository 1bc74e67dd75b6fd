/**
 * One generation of the gallery: the list matrices and list indexes of one descriptor version,
 * with the calibration of its cosines. The gallery serves one generation and, while switching
 * versions, loads the next one beside it.
 */
import type { Database } from '../db/index.ts';
import type { Logger } from '../logger/index.ts';
import { loadDescriptors } from './gallery-loader.ts';
import { IndexManager, type IndexSettings } from './index/index-manager.ts';
import { ListMatrix } from './list-matrix.ts';
import type { StoragePrecision } from './quantize.ts';
import type { Scored } from './scored.ts';
import type { Calibration } from './similarity.ts';

/** How a generation stores and indexes descriptors. */
export interface GenerationSettings {
  precision: StoragePrecision;
  /** Folder of the float32 row files of int8 matrices (default: the OS temp folder). */
  rowsDir?: string;
  index: IndexSettings | undefined;
  logger: Logger;
}

/** Matrices and indexes of one descriptor version. */
export class GalleryGeneration {
  readonly lists = new Map<string, ListMatrix>();
  readonly indexes: IndexManager | undefined;

  constructor(
    readonly version: string,
    readonly calibration: Calibration,
    private readonly settings: GenerationSettings,
  ) {
    const { index, logger } = settings;
    this.indexes = index
      ? new IndexManager(index, version, (id) => this.lists.get(id), logger)
      : undefined;
  }

  /** Loads every list membership with a descriptor of this version. */
  loadMatrices(db: Database): Promise<number> {
    return loadDescriptors(db, this.version, {
      reserve: (listId, rows) => this.matrixFor(listId).reserve(rows),
      add: (listId, faceId, descriptor) => this.matrixFor(listId).set(faceId, descriptor),
    });
  }

  /** Opens the saved indexes of this version (others are removed) and queues due builds. */
  async loadIndexes(): Promise<void> {
    await this.indexes?.load([...this.lists.keys()]);
  }

  link(listId: string, faceId: string, descriptor: Float32Array): void {
    const outcome = this.matrixFor(listId).set(faceId, descriptor);
    this.indexes?.changed(listId, faceId, descriptor, outcome);
  }

  unlink(listId: string, faceId: string): void {
    if (this.lists.get(listId)?.delete(faceId)) {
      this.indexes?.removed(listId, faceId);
    }
  }

  dropList(listId: string): void {
    this.lists.delete(listId);
    void this.indexes?.drop(listId);
  }

  search(listId: string, query: Float32Array, limit: number, exact: boolean): Scored[] {
    const matrix = this.lists.get(listId);
    if (!matrix) {
      return [];
    }
    const index = exact ? undefined : this.indexes?.indexOf(listId);
    return index ? index.search(query, limit) : matrix.search(query, limit);
  }

  /** Stops index builds; saved indexes stay. */
  async close(): Promise<void> {
    await this.indexes?.close();
  }

  private matrixFor(listId: string): ListMatrix {
    let matrix = this.lists.get(listId);
    if (!matrix) {
      matrix = new ListMatrix(this.settings.precision, this.settings.rowsDir);
      this.lists.set(listId, matrix);
    }
    return matrix;
  }
}
