/**
 * Decides when lists get an index and runs the builds: one at a time, in a worker thread,
 * when a list passes the size setting, when its delta passes the delta setting, or on request.
 * Loads saved indexes at start-up and keeps each serving index told of every list change.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { DESCRIPTOR_LENGTH } from '../../descriptors/index.ts';
import type { Logger } from '../../logger/index.ts';
import type { ListMatrix, SetOutcome } from '../list-matrix.ts';
import { HNSW_PARAMS, type IndexPrecision, viewHnsw } from './hnsw.ts';
import { type RunningBuild, startBuild } from './index-build.ts';
import {
  buildFiles,
  commitManifest,
  type IndexManifest,
  indexedListIds,
  listDir,
  readKeyIds,
  readManifest,
  removeListFiles,
  removeStale,
} from './index-files.ts';
import { IndexedList } from './indexed-list.ts';

/** Settings of list indexing. */
export interface IndexSettings {
  /** Folder holding one sub-folder per indexed list. */
  root: string;
  /** Faces at which a list gets an index without being asked. */
  minFaces: number;
  /** Pending plus removed faces at which an index is rebuilt. */
  maxDelta: number;
  precision: IndexPrecision;
  /** Threads the build worker adds vectors with. */
  buildThreads: number;
}

/** A list's index as the API reports it. */
export interface IndexStatus {
  /** building: queued or running; failed: the last build failed and no index serves. */
  state: 'none' | 'building' | 'ready' | 'failed';
  /** True when an index answers this list's matches. */
  ready: boolean;
  /** Faces the serving index covers. */
  size: number;
  builtAt: number | undefined;
  /** Faces linked or changed since the build, matched exactly. */
  pending: number;
  /** Faces removed since the build, filtered out of every answer. */
  removed: number;
  precision: IndexPrecision;
  error: string | undefined;
}

interface Slot {
  live?: IndexedList;
  /** Faces changed since the running build took its snapshot; set while a build runs. */
  dirty?: Set<string>;
  run?: RunningBuild;
  error?: string;
}

/** Owns every list index of one gallery. */
export class IndexManager {
  private readonly slots = new Map<string, Slot>();
  private readonly queue: string[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly settings: IndexSettings,
    private readonly descriptorVersion: string,
    private readonly matrixOf: (listId: string) => ListMatrix | undefined,
    private readonly logger: Logger,
  ) {}

  /** Opens the saved indexes of lists with faces, drops the rest, and queues due builds. */
  async load(listIds: string[]): Promise<number> {
    await mkdir(this.settings.root, { recursive: true });
    let opened = 0;
    for (const listId of await indexedListIds(this.settings.root)) {
      const matrix = this.matrixOf(listId);
      if (!matrix) {
        await removeListFiles(this.settings.root, listId);
      } else if (await this.open(listId, matrix)) {
        opened++;
      }
    }
    for (const listId of listIds) {
      this.checkDue(listId);
    }
    return opened;
  }

  /** The index serving `listId`, if any. */
  indexOf(listId: string): IndexedList | undefined {
    return this.slots.get(listId)?.live;
  }

  /** Status of `listId`'s index. */
  status(listId: string): IndexStatus {
    const slot = this.slots.get(listId);
    const live = slot?.live;
    const building = this.queue.includes(listId) || slot?.dirty !== undefined;
    const failed = slot?.error !== undefined && !live;
    return {
      state: building ? 'building' : failed ? 'failed' : live ? 'ready' : 'none',
      ready: live !== undefined,
      size: live?.size ?? 0,
      builtAt: live?.info.builtAt,
      pending: live?.pending ?? 0,
      removed: live?.removed ?? 0,
      precision: live?.info.precision ?? this.settings.precision,
      error: slot?.error,
    };
  }

  /** Queues a build of `listId` unless one is queued or running. */
  request(listId: string): IndexStatus {
    const slot = this.slotOf(listId);
    slot.error = undefined;
    this.enqueue(listId);
    return this.status(listId);
  }

  /** Tells the index of `listId` that `faceId` was linked or replaced. */
  changed(listId: string, faceId: string, descriptor: Float32Array, outcome: SetOutcome): void {
    const slot = this.slots.get(listId);
    if (slot && outcome !== 'unchanged') {
      slot.dirty?.add(faceId);
      slot.live?.onSet(faceId, descriptor, outcome);
    }
    this.checkDue(listId);
  }

  /** Tells the index of `listId` that `faceId` left the list. */
  removed(listId: string, faceId: string): void {
    const slot = this.slots.get(listId);
    slot?.dirty?.add(faceId);
    slot?.live?.onDelete(faceId);
    this.checkDue(listId);
  }

  /** Forgets a deleted list: stops its build and removes its files. */
  async drop(listId: string): Promise<void> {
    const slot = this.slots.get(listId);
    this.slots.delete(listId);
    this.unqueue(listId);
    slot?.run?.cancel();
    await slot?.run?.done.catch(() => undefined);
    await removeListFiles(this.settings.root, listId).catch((error: unknown) => {
      this.logger.warn('index_files_not_removed', { listId, error });
    });
  }

  /** Stops queued and running builds; saved indexes stay for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    for (const slot of this.slots.values()) {
      slot.run?.cancel();
    }
    await this.running;
  }

  private slotOf(listId: string): Slot {
    let slot = this.slots.get(listId);
    if (!slot) {
      slot = {};
      this.slots.set(listId, slot);
    }
    return slot;
  }

  /** Queues a build when the list is big enough or its delta too big; not after a failure. */
  private checkDue(listId: string): void {
    const slot = this.slots.get(listId);
    const matrix = this.matrixOf(listId);
    if (!matrix || slot?.error !== undefined || slot?.dirty || this.queue.includes(listId)) {
      return;
    }
    const live = slot?.live;
    const due = live
      ? live.pending + live.removed > this.settings.maxDelta
      : matrix.size >= this.settings.minFaces;
    if (due) {
      this.enqueue(listId);
    }
  }

  private enqueue(listId: string): void {
    if (this.closed || this.queue.includes(listId) || this.slots.get(listId)?.dirty) {
      return;
    }
    this.queue.push(listId);
    this.pump();
  }

  private unqueue(listId: string): void {
    const at = this.queue.indexOf(listId);
    if (at >= 0) {
      this.queue.splice(at, 1);
    }
  }

  private pump(): void {
    const listId = this.running || this.closed ? undefined : this.queue.shift();
    if (listId === undefined) {
      return;
    }
    this.running = this.build(listId).finally(() => {
      this.running = undefined;
      this.pump();
    });
  }

  private async build(listId: string): Promise<void> {
    const slot = this.slotOf(listId);
    const matrix = this.matrixOf(listId);
    if (!matrix || matrix.size === 0) {
      return;
    }
    const buildId = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
    const started = performance.now();
    const { root, precision, buildThreads } = this.settings;
    slot.dirty = new Set();
    try {
      await mkdir(listDir(root, listId), { recursive: true });
      if (this.slots.get(listId) !== slot || this.closed) {
        return;
      }
      const plan = { root, listId, buildId, matrix, precision, threads: buildThreads };
      slot.run = startBuild(plan);
      this.logger.info('index_build_started', { listId, buildId, faces: matrix.size });
      const built = await slot.run.done;
      const graph = viewHnsw(built.files.index, DESCRIPTOR_LENGTH, precision);
      const manifest = this.manifestOf(buildId, built.size);
      if (this.slots.get(listId) !== slot || this.closed) {
        return;
      }
      await commitManifest(root, listId, manifest);
      slot.live = new IndexedList(graph, built.keyIds, matrix, manifest, slot.dirty);
      slot.error = undefined;
      const durationMs = Math.round(performance.now() - started);
      this.logger.info('index_ready', { listId, buildId, size: built.size, durationMs });
      await removeStale(root, listId, buildId);
    } catch (error) {
      this.failed(listId, slot, error);
    } finally {
      slot.run = undefined;
      slot.dirty = undefined;
    }
  }

  private failed(listId: string, slot: Slot, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.slots.get(listId) !== slot || this.closed) {
      this.logger.debug('index_build_stopped', { listId, reason: message });
      return;
    }
    slot.error = message;
    this.logger.error('index_build_failed', { listId, error });
  }

  private manifestOf(buildId: string, size: number): IndexManifest {
    return {
      format: 1,
      buildId,
      builtAt: Date.now(),
      descriptorVersion: this.descriptorVersion,
      dimensions: DESCRIPTOR_LENGTH,
      precision: this.settings.precision,
      connectivity: HNSW_PARAMS.connectivity,
      size,
    };
  }

  /** Opens the saved index of `listId`; a missing, stale or unreadable one is removed. */
  private async open(listId: string, matrix: ListMatrix): Promise<boolean> {
    const { root } = this.settings;
    const manifest = await readManifest(root, listId);
    if (!manifest || !this.usable(manifest)) {
      await removeStale(root, listId, undefined);
      return false;
    }
    try {
      const files = buildFiles(root, listId, manifest.buildId);
      const keyIds = await readKeyIds(files.ids);
      const graph = viewHnsw(files.index, manifest.dimensions, manifest.precision);
      if (graph.size !== manifest.size) {
        throw new Error(`graph holds ${graph.size} vectors, manifest says ${manifest.size}`);
      }
      this.slotOf(listId).live = new IndexedList(graph, keyIds, matrix, manifest);
      await removeStale(root, listId, manifest.buildId);
      return true;
    } catch (error) {
      this.logger.warn('index_load_failed', { listId, error });
      return false;
    }
  }

  private usable(m: IndexManifest): boolean {
    return (
      m.descriptorVersion === this.descriptorVersion &&
      m.dimensions === DESCRIPTOR_LENGTH &&
      m.precision === this.settings.precision &&
      m.connectivity === HNSW_PARAMS.connectivity
    );
  }
}
