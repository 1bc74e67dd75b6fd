/**
 * Switching matching to a new descriptor version once it covers every face of the box: the
 * new version's matrices are loaded beside the served ones, coverage is checked again, the
 * version is persisted and the generation swapped in at once; its indexes then load or build.
 * Meanwhile every enrolment writes descriptors of the versions being extracted as well, so
 * coverage never regresses. One switch runs at a time.
 */
import type { Database } from '../db/index.ts';
import { meanDescriptor } from '../descriptors/index.ts';
import type { FileStore } from '../images/index.ts';
import type { Logger } from '../logger/index.ts';
import { readStoredCrops } from '../samples/index.ts';
import type { FaceCrop } from '../vision/index.ts';
import type { DescriptorExtractor } from './descriptor-extractor.ts';
import type { Gallery } from './gallery.ts';
import type { VersionRepository } from './version-repository.ts';

/** A descriptor with its version. */
export interface VersionedDescriptor {
  version: string;
  vector: Float32Array;
}

/** What a switch attempt did. */
export type SwitchOutcome =
  | { status: 'switched'; version: string; loaded: number }
  | { status: 'skipped'; reason: 'serving' | 'not_covered' | 'no_extractor'; missing?: number };

/** What the version switch uses. */
export interface VersionSwitchDeps {
  db: Database;
  repository: VersionRepository;
  gallery: Gallery;
  /** Every loaded recognizer, the serving one included. */
  extractors: ReadonlyMap<string, DescriptorExtractor>;
  sampleFiles: FileStore;
  decodeCrop: (jpeg: Uint8Array) => Promise<FaceCrop>;
  logger: Logger;
}

/**
 * In-memory state of the served version outside the gallery (event descriptors): loaded for
 * the next version beside the gallery's, then swapped in with it or forgotten.
 */
export interface VersionFollower {
  prepare(version: string): Promise<number>;
  discard(): void;
  promote(): void;
}

/** Owns the served descriptor version and the switch to a new one. */
export class VersionSwitch {
  private extracting = new Set<string>();
  private readonly followers: VersionFollower[] = [];
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: VersionSwitchDeps) {}

  /**
   * Reads the versions being extracted (at start-up). Those without a loaded recognizer are
   * forgotten: nothing could write them, so they would stay `extracting` forever. A later run
   * of additional_extraction, once the recognizer is configured again, marks them anew.
   */
  async open(): Promise<void> {
    const { repository, extractors, logger } = this.deps;
    const rows = await repository.extracting();
    const stale = rows.filter((v) => !extractors.has(v));
    await repository.dropExtracting(stale);
    for (const version of stale) {
      logger.warn('descriptor_version_extraction_dropped', { version, reason: 'not_loaded' });
    }
    this.extracting = new Set(rows.filter((v) => extractors.has(v)));
  }

  /** Makes `follower` switch with the gallery from now on. */
  follow(follower: VersionFollower): void {
    this.followers.push(follower);
  }

  /** The extractor of the version the current request sees (the pinned or serving one). */
  get serving(): DescriptorExtractor {
    return this.deps.extractors.get(this.deps.gallery.descriptorVersion)!;
  }

  /** Records that `version` is being extracted: from now on enrolments write it too. */
  async begin(version: string): Promise<void> {
    if (version === this.deps.gallery.servingVersion || this.extracting.has(version)) {
      return;
    }
    await this.deps.repository.markExtracting(version);
    this.extracting.add(version);
  }

  /**
   * Descriptors an enrolment writes besides the ones it has: the serving version and those
   * being extracted, from the face's stored samples.
   */
  async describeMore(sampleIds: string[], have: string[]): Promise<VersionedDescriptor[]> {
    const wanted = [this.deps.gallery.servingVersion, ...this.extracting].filter(
      (v) => !have.includes(v) && this.deps.extractors.has(v),
    );
    if (wanted.length === 0 || sampleIds.length === 0) {
      return [];
    }
    const { sampleFiles, decodeCrop } = this.deps;
    const crops = await readStoredCrops(sampleFiles, decodeCrop, sampleIds);
    const found: VersionedDescriptor[] = [];
    for (const version of crops.length > 0 ? new Set(wanted) : []) {
      const vectors = await this.deps.extractors.get(version)!.extract(crops);
      found.push({ version, vector: meanDescriptor(vectors) });
    }
    return found;
  }

  /** Switches matching to `version` when every face of the box has a descriptor of it. */
  switchIfCovered(version: string): Promise<SwitchOutcome> {
    const attempt = this.running.then(() => this.trySwitch(version));
    this.running = attempt.catch(() => undefined);
    return attempt;
  }

  private async trySwitch(version: string): Promise<SwitchOutcome> {
    const { gallery, repository, db, logger } = this.deps;
    const extractor = this.deps.extractors.get(version);
    if (version === gallery.servingVersion) {
      return { status: 'skipped', reason: 'serving' };
    }
    if (!extractor) {
      return { status: 'skipped', reason: 'no_extractor' };
    }
    const before = await repository.facesLacking(version);
    if (before > 0) {
      return { status: 'skipped', reason: 'not_covered', missing: before };
    }

    const started = performance.now();
    let loaded: number;
    let missing: number;
    try {
      loaded = await gallery.prepare(db, version, extractor.calibration);
      for (const follower of this.followers) {
        await follower.prepare(version);
      }
      missing = await repository.facesLacking(version);
    } catch (error) {
      this.discard();
      throw error;
    }
    if (missing > 0) {
      this.discard();
      return { status: 'skipped', reason: 'not_covered', missing };
    }

    const previous = gallery.servingVersion;
    await repository.markServing(version, previous);
    for (const follower of this.followers) {
      follower.promote();
    }
    await gallery.promote();
    this.extracting.delete(version);
    const durationMs = Math.round(performance.now() - started);
    logger.info('descriptor_version_switched', { from: previous, to: version, loaded, durationMs });
    return { status: 'switched', version, loaded };
  }

  private discard(): void {
    this.deps.gallery.discard();
    for (const follower of this.followers) {
      follower.discard();
    }
  }
}

/** The version to serve at start-up, or why none can be. */
export type ServedAtStart =
  | { status: 'ok'; version: string }
  /** The persisted version has no recognizer, but every face has the shipped one: served. */
  | { status: 'fallback'; version: string; persisted: string }
  /** The persisted version has no recognizer and `missing` faces lack the shipped one. */
  | { status: 'unavailable'; persisted: string; native: string; missing: number };

/**
 * The version to serve at start-up: the persisted one when its recognizer is loaded. Without
 * it, queries could not be described in that version; falling back to the recognizer's own
 * (`native`) is safe only when every face has a descriptor of it, else faces enrolled since
 * the switch would silently drop out of matching. A fallback is persisted (the native version
 * serves from now on, so faces enrolled meanwhile are never lost by a later restart), with a
 * warning; otherwise the caller refuses to start.
 */
export async function servedVersionAtStart(
  repository: VersionRepository,
  extractors: ReadonlyMap<string, DescriptorExtractor>,
  native: string,
  logger: Logger,
): Promise<ServedAtStart> {
  const persisted = await repository.serving();
  if (persisted === undefined || extractors.has(persisted)) {
    return { status: 'ok', version: persisted ?? native };
  }
  const missing = await repository.facesLacking(native);
  if (missing > 0) {
    return { status: 'unavailable', persisted, native, missing };
  }
  await repository.markServing(native, persisted);
  logger.warn('served_version_unavailable', { persisted, serving: native, fallback: 'persisted' });
  return { status: 'fallback', version: native, persisted };
}
