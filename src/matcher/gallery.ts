/**
 * The in-memory gallery: one ListMatrix per list, holding the descriptors of the version
 * matching serves, plus the list indexes when indexing is configured. Loaded from libSQL at
 * start-up and kept current by the faces and lists services after each committed change.
 * During a version switch the next version's generation is loaded beside the serving one and
 * swapped in at once; a request pinned to a generation finishes on it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from '../db/index.ts';
import { createLogger, type Logger } from '../logger/index.ts';
import { GalleryGeneration, type GenerationSettings } from './gallery-generation.ts';
import type { IndexSettings, IndexStatus } from './index/index-manager.ts';
import type { StoragePrecision } from './quantize.ts';
import type { Scored } from './scored.ts';
import { type Calibration, calibrationOf } from './similarity.ts';

/** How the gallery stores and indexes descriptors. */
export interface GalleryOptions {
  /** Storage of the exact matrices (default float32). */
  precision?: StoragePrecision;
  /** Folder of the float32 row files int8 matrices re-rank from (under the data dir). */
  rowsDir?: string;
  /** List indexing; without it every search is an exact scan. */
  index?: IndexSettings;
  /** Calibration of the served version (default: the table of known models). */
  calibration?: Calibration;
  logger?: Logger;
}

/** How one search runs. */
export interface SearchOptions {
  /** Scan every descriptor even when the list has an index. */
  exact?: boolean;
}

/** Descriptor matrices of every list, for the served descriptor version. */
export class Gallery {
  private current: GalleryGeneration;
  private next: GalleryGeneration | undefined;
  private readonly pins = new AsyncLocalStorage<GalleryGeneration>();
  private readonly settings: GenerationSettings;
  readonly precision: StoragePrecision;

  constructor(descriptorVersion: string, options: GalleryOptions = {}) {
    this.precision = options.precision ?? 'f32';
    this.settings = {
      precision: this.precision,
      rowsDir: options.rowsDir,
      index: options.index,
      logger: options.logger ?? createLogger({ module: 'matcher' }),
    };
    const calibration = options.calibration ?? calibrationOf(descriptorVersion);
    this.current = new GalleryGeneration(descriptorVersion, calibration, this.settings);
  }

  /** The version this request sees: the pinned generation's, else the serving one. */
  get descriptorVersion(): string {
    return this.seen.version;
  }

  /** Calibration of the version this request sees. */
  get calibration(): Calibration {
    return this.seen.calibration;
  }

  /** The version new requests are served with (ignores pins). */
  get servingVersion(): string {
    return this.current.version;
  }

  /** Versions whose matrices are held: the serving one, and the next during a switch. */
  get heldVersions(): string[] {
    return this.next ? [this.current.version, this.next.version] : [this.current.version];
  }

  /** Runs `fn` with the serving generation pinned, so it never sees a switch halfway. */
  pinned<T>(fn: () => T): T {
    return this.pins.run(this.current, fn);
  }

  /** Loads every list membership with a descriptor of this version, then the saved indexes. */
  async load(db: Database): Promise<number> {
    const loaded = await this.current.loadMatrices(db);
    await this.current.loadIndexes();
    return loaded;
  }

  /** Loads the matrices of `version` beside the serving ones (step one of a switch). */
  async prepare(db: Database, version: string, calibration: Calibration): Promise<number> {
    this.next = new GalleryGeneration(version, calibration, this.settings);
    return this.next.loadMatrices(db);
  }

  /** Forgets a prepared generation (a switch abandoned). */
  discard(): void {
    this.next = undefined;
  }

  /** Serves the prepared generation from now on; the old one's builds stop. */
  async promote(): Promise<void> {
    const next = this.next;
    if (!next) {
      return;
    }
    const old = this.current;
    this.current = next;
    this.next = undefined;
    await old.close();
    await next.loadIndexes();
  }

  /** Puts a face's descriptor of `version` (default: the one seen) into a list. */
  link(listId: string, faceId: string, descriptor: Float32Array, version?: string): void {
    for (const generation of this.holding(version ?? this.descriptorVersion)) {
      generation.link(listId, faceId, descriptor);
    }
  }

  /** Takes a face out of a list. */
  unlink(listId: string, faceId: string): void {
    for (const generation of this.generations()) {
      generation.unlink(listId, faceId);
    }
  }

  /** Takes a face out of every list it is in. */
  removeFace(faceId: string): void {
    for (const generation of this.generations()) {
      for (const listId of generation.lists.keys()) {
        generation.unlink(listId, faceId);
      }
    }
  }

  /** Forgets a deleted list and removes its index. */
  dropList(listId: string): void {
    for (const generation of this.generations()) {
      generation.dropList(listId);
    }
  }

  /** Number of descriptors held for a list. */
  sizeOf(listId: string): number {
    return this.seen.lists.get(listId)?.size ?? 0;
  }

  /** The best `limit` faces of a list for a unit query descriptor, through its index if any. */
  search(
    listId: string,
    query: Float32Array,
    limit: number,
    options: SearchOptions = {},
  ): Scored[] {
    return this.seen.search(listId, query, limit, options.exact ?? false);
  }

  /** True when list indexing is configured. */
  get indexing(): boolean {
    return this.settings.index !== undefined;
  }

  /** Status of a list's index (state `none` when indexing is off). */
  indexStatus(listId: string): IndexStatus {
    return this.current.indexes?.status(listId) ?? NO_INDEX;
  }

  /** Queues a build of a list's index; the caller checks the list exists and has faces. */
  buildIndex(listId: string): IndexStatus {
    return this.current.indexes?.request(listId) ?? NO_INDEX;
  }

  /** Stops index builds; saved indexes stay for the next start. */
  async close(): Promise<void> {
    await this.current.close();
    await this.next?.close();
  }

  private get seen(): GalleryGeneration {
    return this.pins.getStore() ?? this.current;
  }

  private generations(): GalleryGeneration[] {
    return this.next ? [this.current, this.next] : [this.current];
  }

  private holding(version: string): GalleryGeneration[] {
    return this.generations().filter((g) => g.version === version);
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
