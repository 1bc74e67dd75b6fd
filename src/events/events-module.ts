/** Wiring of the events module: repository, writer, matcher, service and routes. */
import path from 'node:path';
import type { AttributeStore } from '../attributes/index.ts';
import type { Database } from '../db/index.ts';
import type { RouteDef } from '../http/index.ts';
import { createFileStore, type FileOwner, type FileStore } from '../images/index.ts';
import { type EventCandidateSearch, eventCandidateSearch } from './event-candidates.ts';
import {
  EventDescriptorMatrix,
  type EventMatrixControl,
  type EventMatrixSettings,
} from './event-descriptor-matrix.ts';
import {
  createEventDescriptorWriter,
  type DescriptorAdded,
  type EventDescriptorWriter,
} from './event-descriptor-writer.ts';
import { createEventMatcher, type EventMatcher } from './event-matcher.ts';
import { createEventRemover, type EventRemover } from './event-remover.ts';
import { createEventRepository } from './event-repository.ts';
import { eventRoutes } from './event-routes.ts';
import { createEventService, type EventService } from './event-service.ts';
import {
  createEventWriter,
  type EventSaveHook,
  type EventWriter,
  type EventWriterDeps,
  type GalleryLinker,
} from './event-writer.ts';

/** What the events module needs from the appliance. */
export interface EventsDeps {
  db: Database;
  dataDir: string;
  sampleFiles: FileStore;
  attributes: AttributeStore;
  /** The matcher's gallery: faces stored by events join their lists' matrices. */
  gallery: GalleryLinker;
  /** Modules whose rows commit with each event (the sender's outbox, later). */
  hooks?: EventSaveHook[];
  /** Descriptors of further versions for the faces events create (model upgrades). */
  describeMore?: EventWriterDeps['describeMore'];
  /** Storage of the in-memory event descriptors (the gallery's; default float32). */
  matrix?: EventMatrixSettings;
}

/** The events module as the rest of the appliance sees it. */
export interface EventsModule {
  service: EventService;
  matcher: EventMatcher;
  /** `origin: "events"` candidates for the matcher routes. */
  candidates: EventCandidateSearch;
  writer: EventWriter;
  /** Retention: events and kept photos removed by filters and age. */
  remover: EventRemover;
  /** Descriptors of further versions for stored events (additional extraction). */
  descriptors: EventDescriptorWriter;
  routes: RouteDef[];
  /**
   * Event descriptors of the served version in memory: `load` at start-up; follows version
   * switches and forgets erased accounts; stores and removals keep it current by themselves.
   */
  descriptorMatrix: EventMatrixControl;
  /** Kept photos: their rows name files, erased with an account. */
  fileOwners: FileOwner[];
}

/** Builds the events module. */
export function createEventsModule(deps: EventsDeps): EventsModule {
  const repository = createEventRepository(deps.db);
  const originFiles = createFileStore(path.join(deps.dataDir, 'origins'), '.img');
  const service = createEventService(repository, originFiles);
  const descriptorMatrix = new EventDescriptorMatrix(
    deps.db,
    deps.gallery.descriptorVersion,
    deps.matrix ?? { precision: 'f32' },
  );
  const writer = createEventWriter({
    db: deps.db,
    sampleFiles: deps.sampleFiles,
    originFiles,
    attributes: deps.attributes,
    gallery: deps.gallery,
    // The matrix first: an event is searchable before any hook announces it.
    hooks: [{ committed: (events) => descriptorMatrix.added(events) }, ...(deps.hooks ?? [])],
    describeMore: deps.describeMore,
  });
  // A descriptor added to a stored event joins the matrix when its version is held.
  const described: DescriptorAdded = async (accountId, eventId, version, vector) => {
    if (descriptorMatrix.holds(version)) {
      const event = await repository.find(accountId, eventId);
      if (event) {
        descriptorMatrix.describedAs(event, version, vector);
      }
    }
  };
  const matcher = createEventMatcher(repository, deps.gallery, descriptorMatrix);
  return {
    service,
    matcher,
    candidates: eventCandidateSearch(matcher),
    writer,
    remover: createEventRemover({
      db: deps.db,
      sampleFiles: deps.sampleFiles,
      originFiles,
      attributes: deps.attributes,
      removed: (eventIds) => descriptorMatrix.removed(eventIds),
    }),
    descriptors: createEventDescriptorWriter(deps.db, described),
    routes: eventRoutes(service),
    descriptorMatrix,
    fileOwners: [{ table: 'origin_images', idColumn: 'image_id', files: originFiles }],
  };
}
