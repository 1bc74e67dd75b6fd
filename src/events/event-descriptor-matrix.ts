/**
 * The descriptors of stored events, of the version matching serves, held in memory for search
 * by face: one `ListMatrix` for the whole box keyed by event id (same storage precision and row
 * file folder as the lists), and beside it per event what the filters read: its account and its
 * filter subject. Loaded from libSQL at start-up page by page; kept current after each commit
 * that stores, removes or describes events; during a version switch the next version is loaded
 * beside the served one and swapped in with the gallery.
 *
 * A search scans the whole matrix natively for the best K′ rows (exact float32 scores, ties by
 * id), keeps those of the caller's account that pass the filters (the in-memory twin of the SQL
 * filters), and widens K′ fourfold until `limit` pass or the rest fall below the threshold. Once
 * K′ passes MOST_RANKED, the last widening takes every row: it checks the filters of every row
 * first and scores only the rows that pass, exactly in float32.
 */
import type { Database } from '../db/index.ts';
import { decodeDescriptor } from '../descriptors/index.ts';
import { AppError } from '../errors/index.ts';
import { ListMatrix, rankScored, type Scored, type StoragePrecision } from '../matcher/index.ts';
import type { EventFilters } from './event-filters.ts';
import { type EventRecord, subjectOf } from './event-record.ts';
import { EVENT_COLUMNS, eventFromRow } from './event-rows.ts';
import { type FilterSubject, failedFilters } from './filter-predicate.ts';

/** Rows per page read at load. */
const PAGE_ROWS = 5000;
/**
 * Pages read between two forced collections. Event rows parse into far more garbage than list
 * rows, so every page: at 100,000 int8 events the served process holds 1.6 KB per event
 * instead of 2.2 KB with a collection every 10 pages, for the same load time.
 */
const PAGES_PER_COLLECTION = 1;
/** First K′ of a search, as a multiple of the limit; each widening multiplies it by WIDEN. */
const WIDEN = 4;
/**
 * Largest K′ ranked natively (or `limit` × WIDEN when more). Past it, so few rows pass that
 * checking the filters of every row and scoring those that pass is cheaper than ranking more.
 * At 100,000 int8 events and a limit of 10 (scripts/measure-event-matrix.ts): a filter no event
 * passes costs 130 ms (320 ms widening natively to every row), one that 1 % pass 44 ms (106 ms
 * with 1,024 here).
 */
const MOST_RANKED = 4096;

/** How the matrix stores descriptors (the gallery's settings). */
export interface EventMatrixSettings {
  precision: StoragePrecision;
  /** Folder of the float32 row file of int8 storage (default: the OS temp folder). */
  rowsDir?: string;
}

/** What the appliance does with the matrix: load it, switch its version, forget an account. */
export type EventMatrixControl = Pick<
  EventDescriptorMatrix,
  'version' | 'size' | 'load' | 'prepare' | 'discard' | 'promote' | 'forgetAccount' | 'close'
>;

/** One search: whose events, which, how many, from which cosine up. */
export interface EventSearch {
  /** The account searched; undefined for every account. */
  scope: string | undefined;
  filters: EventFilters;
  limit: number;
  /** Rows scoring below this cosine are never returned. */
  minCosine: number;
  /** The time relative filter bounds are resolved at. */
  now: number;
}

/** What the filters of one held event read: its account and its filter subject. */
type Held = FilterSubject & { accountId: string };

const NO_LABELS: FilterSubject['bestByLabel'] = Object.freeze({});

/**
 * One copy of the values many events repeat (account, handler, source, match label, tag set).
 * The values never leave the pool; they are few.
 */
class Interner {
  private readonly strings = new Map<string, string>();
  private readonly tagSets = new Map<string, string[]>();

  of<T extends string | undefined>(value: T): T {
    if (value === undefined) {
      return value;
    }
    const held = this.strings.get(value);
    if (held !== undefined) {
      return held as T;
    }
    this.strings.set(value, value);
    return value;
  }

  tags(tags: string[]): string[] {
    const key = JSON.stringify([...new Set(tags)].sort());
    let held = this.tagSets.get(key);
    if (!held) {
      held = Object.freeze(JSON.parse(key) as string[]) as string[];
      this.tagSets.set(key, held);
    }
    return held;
  }
}

/** What the filters read of `event` ({@link subjectOf}), its repeated values shared. */
function heldOf(event: EventRecord, eventId: string, pool: Interner): Held {
  const subject = subjectOf(event);
  const labels = Object.entries(subject.bestByLabel);
  const bestByLabel =
    labels.length === 0
      ? NO_LABELS
      : Object.fromEntries(labels.map(([label, best]) => [pool.of(label), best]));
  const top = subject.topMatch;
  const best = top && bestByLabel[top.label];
  return {
    ...subject,
    accountId: pool.of(event.accountId),
    eventId,
    handlerId: pool.of(subject.handlerId),
    source: pool.of(subject.source),
    tags: pool.tags(subject.tags),
    bestByLabel,
    topMatch: top && {
      label: pool.of(top.label),
      // The same id as the label's best candidate more often than not: keep one string.
      objectId: best?.objectId === top.objectId ? best.objectId : top.objectId,
      similarity: top.similarity,
    },
  };
}

/** The descriptors of one version with their events' filter subjects. */
class EventGeneration {
  readonly rows: ListMatrix;
  private readonly held = new Map<string, Held>();
  private readonly pool = new Interner();
  /** While loading: events removed meanwhile, which a page read earlier must not bring back. */
  private removedWhileLoading: Set<string> | undefined;
  private erasedWhileLoading: Set<string> | undefined;

  constructor(
    readonly version: string,
    settings: EventMatrixSettings,
  ) {
    this.rows = new ListMatrix(settings.precision, settings.rowsDir);
  }

  async load(db: Database): Promise<number> {
    this.removedWhileLoading = new Set();
    this.erasedWhileLoading = new Set();
    try {
      const count = await db.execute({
        sql: 'SELECT COUNT(*) AS n FROM event_descriptors WHERE descriptor_version = ?',
        args: [this.version],
      });
      this.rows.reserve(Number(count.rows[0]!.n));
      let after = '';
      for (let pages = 1; ; pages++) {
        const page = await db.execute({
          sql: `SELECT ${EVENT_COLUMNS}, d.descriptor AS descriptor FROM events e
            JOIN event_descriptors d ON d.event_id = e.event_id AND d.descriptor_version = ?
            WHERE e.event_id > ? ORDER BY e.event_id LIMIT ?`,
          args: [this.version, after, PAGE_ROWS],
        });
        for (const row of page.rows) {
          const event = eventFromRow(row);
          if (
            !this.removedWhileLoading.has(event.eventId) &&
            !this.erasedWhileLoading.has(event.accountId)
          ) {
            this.put(event, decodeDescriptor(row.descriptor as ArrayBuffer));
          }
        }
        if (pages % PAGES_PER_COLLECTION === 0) {
          Bun.gc(true);
        }
        const last = page.rows.at(-1);
        if (!last || page.rows.length < PAGE_ROWS) {
          return this.rows.size;
        }
        after = String(last.event_id);
      }
    } finally {
      this.removedWhileLoading = undefined;
      this.erasedWhileLoading = undefined;
    }
  }

  /** Holds `event` with `vector`, its descriptor of this version. */
  put(event: EventRecord, vector: Float32Array): void {
    this.rows.set(event.eventId, vector);
    const eventId = this.rows.canonicalId(event.eventId)!;
    this.held.set(eventId, heldOf(event, eventId, this.pool));
  }

  remove(eventId: string): void {
    this.removedWhileLoading?.add(eventId);
    this.rows.delete(eventId);
    this.held.delete(eventId);
  }

  forgetAccount(accountId: string): void {
    this.erasedWhileLoading?.add(accountId);
    for (const [eventId, held] of this.held) {
      if (held.accountId === accountId) {
        this.remove(eventId);
      }
    }
  }

  search(q: EventSearch, query: Float32Array): Scored[] {
    const n = this.rows.size;
    if (q.limit <= 0 || n === 0) {
      return [];
    }
    // The best K′ rows of a wider scan begin with those of the narrower one (one total order),
    // so each widening checks only the rows it adds.
    const kept: Scored[] = [];
    let checked = 0;
    const most = Math.max(q.limit * WIDEN, MOST_RANKED);
    for (let want = q.limit * WIDEN; want < n && want <= most; want *= WIDEN) {
      const best = this.rows.search(query, want);
      for (; checked < best.length; checked++) {
        const row = best[checked]!;
        // Every row left scores at most this: below the threshold, none could be returned.
        if (row.cosine < q.minCosine) {
          return kept;
        }
        if (this.passes(row.id, q) && kept.push(row) === q.limit) {
          return kept;
        }
      }
    }
    return this.scanPassing(q, query);
  }

  /**
   * The last widening, over every row: the filters first, then the float32 score of each row
   * that passes (cheaper than ranking every row when few pass, as they do by now).
   */
  private scanPassing(q: EventSearch, query: Float32Array): Scored[] {
    const scored: Scored[] = [];
    for (let row = 0; row < this.rows.size; row++) {
      const id = this.rows.idAt(row);
      if (this.passes(id, q)) {
        const cosine = this.rows.scoreRow(row, query);
        if (cosine >= q.minCosine) {
          scored.push({ id, cosine });
        }
      }
    }
    return rankScored(scored, q.limit);
  }

  close(): void {
    this.rows.close();
  }

  private passes(eventId: string, q: EventSearch): boolean {
    const held = this.held.get(eventId)!;
    if (q.scope !== undefined && held.accountId !== q.scope) {
      return false;
    }
    return failedFilters(q.filters, held, q.now).length === 0;
  }
}

/**
 * Event descriptors of the served version in memory, for search by face over events. Follows
 * the version switch (`prepare`, `discard`, `promote`) like the gallery does.
 */
export class EventDescriptorMatrix {
  private current: EventGeneration;
  private next: EventGeneration | undefined;

  constructor(
    private readonly db: Database,
    version: string,
    private readonly settings: EventMatrixSettings,
  ) {
    this.current = new EventGeneration(version, settings);
  }

  /** The version held for new searches. */
  get version(): string {
    return this.current.version;
  }

  /** Events held for new searches. */
  get size(): number {
    return this.current.rows.size;
  }

  /** Loads every event with a descriptor of the held version (at start-up). */
  load(): Promise<number> {
    return this.current.load(this.db);
  }

  /** Loads the events of `version` beside the served ones (step one of a switch). */
  async prepare(version: string): Promise<number> {
    this.discard();
    const next = new EventGeneration(version, this.settings);
    this.next = next;
    return next.load(this.db);
  }

  /** Forgets a prepared version (a switch abandoned). */
  discard(): void {
    this.next?.close();
    this.next = undefined;
  }

  /** Serves the prepared version from now on. */
  promote(): void {
    const next = this.next;
    if (!next) {
      return;
    }
    const old = this.current;
    this.current = next;
    this.next = undefined;
    old.close();
  }

  /** Stored events (after commit): those with a descriptor of a held version join. */
  added(events: EventRecord[]): void {
    for (const event of events) {
      const descriptor = event.descriptor;
      for (const generation of this.generations()) {
        if (descriptor && descriptor.version === generation.version) {
          generation.put(event, descriptor.vector);
        }
      }
    }
  }

  /** A descriptor of `version` added to a stored event (after commit); ignored if not held. */
  describedAs(event: EventRecord, version: string, vector: Float32Array): void {
    for (const generation of this.generations()) {
      if (generation.version === version) {
        generation.put(event, vector);
      }
    }
  }

  /** True when a descriptor of `version` would be held (served or being loaded). */
  holds(version: string): boolean {
    return this.generations().some((g) => g.version === version);
  }

  /** Removed events (after commit). */
  removed(eventIds: string[]): void {
    for (const generation of this.generations()) {
      for (const eventId of eventIds) {
        generation.remove(eventId);
      }
    }
  }

  /** Forgets every event of an erased account (after commit). */
  forgetAccount(accountId: string): void {
    for (const generation of this.generations()) {
      generation.forgetAccount(accountId);
    }
  }

  /**
   * The best events for a unit descriptor of `version`, best first by float32 cosine, ties by
   * id. A request still pinned to a version switched away from meanwhile is refused (503).
   */
  search(version: string, query: Float32Array, q: EventSearch): Scored[] {
    const generation = this.generations().find((g) => g.version === version);
    if (!generation) {
      throw new AppError(
        'model_unavailable',
        `event descriptors of ${version} are not held ` +
          '(the served version switched meanwhile); retry',
      );
    }
    return generation.search(q, query);
  }

  /** Frees the row files. */
  close(): void {
    for (const generation of this.generations()) {
      generation.close();
    }
  }

  private generations(): EventGeneration[] {
    return this.next ? [this.current, this.next] : [this.current];
  }
}
