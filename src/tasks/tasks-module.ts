/**
 * Wiring of the tasks module: repositories, the kinds with the narrow parts each one uses, the
 * service, the worker, the scheduler and the result sweeper, and their routes. `start` recovers
 * tasks a previous run left `running`, then starts the loops; `close` stops them.
 */
import path from 'node:path';
import type { AttributeService } from '../attributes/index.ts';
import type { Database } from '../db/index.ts';
import type { EventsModule } from '../events/index.ts';
import type { FaceService } from '../faces/index.ts';
import type { RouteDef } from '../http/index.ts';
import { createFileStore, type FileOwner, type FileStore } from '../images/index.ts';
import type { ListRepository } from '../lists/index.ts';
import type { Logger } from '../logger/index.ts';
import type { FaceCrop } from '../vision/index.ts';
import { createAccountScope } from './internal/account-scope.ts';
import { createDescriptorWriter } from './internal/descriptor-writer.ts';
import { createEventScan } from './internal/event-scan.ts';
import { createFaceScanRepository } from './internal/face-scan-repository.ts';
import { createGcRepository } from './internal/gc-repository.ts';
import {
  additionalExtractionKind,
  type DescriptorExtractor,
  type GalleryLink,
  type VersionSwitchLink,
} from './kinds/additional-extraction.ts';
import { clusteringKind } from './kinds/clustering.ts';
import { crossMatchKind } from './kinds/cross-match.ts';
import { type EstimatorDeps, estimatorKind } from './kinds/estimator.ts';
import { exporterKind } from './kinds/exporter.ts';
import { gcKind } from './kinds/gc.ts';
import type { KindDefinition } from './kinds/kind.ts';
import { linkerKind } from './kinds/linker.ts';
import { reporterKind } from './kinds/reporter.ts';
import { rocKind } from './kinds/roc.ts';
import { startResultSweeper } from './result-sweeper.ts';
import { createScheduleRepository } from './schedule-repository.ts';
import { scheduleRoutes } from './schedule-routes.ts';
import { createScheduleService, type ScheduleService, startScheduler } from './schedule-service.ts';
import { createTaskRepository, type TaskRepository } from './task-repository.ts';
import { taskRoutes } from './task-routes.ts';
import { createTaskService, type TaskService } from './task-service.ts';
import type { TaskKind } from './task-types.ts';
import { startTaskWorker, type TaskWorker, type WorkerSettings } from './task-worker.ts';

/** What the tasks module needs from the appliance. */
export interface TasksDeps {
  db: Database;
  dataDir: string;
  sampleFiles: FileStore;
  faces: { service: FaceService; lists: ListRepository; attributes: AttributeService };
  /** Stored events: read by filters, with their descriptors; removed and re-described. */
  events: Pick<EventsModule, 'service' | 'matcher' | 'remover' | 'descriptors'>;
  recognition: {
    /** The matcher's gallery: its version is the one matching serves. */
    gallery: GalleryLink;
    /** The switch of the served version, when a new one covers every face. */
    versions: VersionSwitchLink;
    /** Recognizers that can describe stored samples (the serving one and any other loaded). */
    extractors: DescriptorExtractor[];
    decodeCrop: (jpeg: Uint8Array) => Promise<FaceCrop>;
  };
  /** Event generation for the estimator: the handlers module, where images may be read. */
  estimation: EstimatorDeps;
  logger: Logger;
  settings: WorkerSettings & { maxAttempts: number };
}

/** The tasks module as the appliance sees it. */
export interface TasksModule {
  service: TaskService;
  schedules: ScheduleService;
  routes: RouteDef[];
  /** Task results: their rows name files, erased with an account. */
  fileOwners: FileOwner[];
  /** Recovers interrupted tasks and starts the worker, scheduler and sweeper. */
  start(): Promise<void>;
  /** Stops them; a running task stays `running` and resumes on the next start. */
  close(): Promise<void>;
}

function kindsOf(deps: TasksDeps, tasks: TaskRepository, results: FileStore) {
  const scan = createFaceScanRepository(deps.db);
  const events = createEventScan(deps.events);
  const { gallery } = deps.recognition;
  // Read at each use: matching may switch versions while the box runs.
  const sources = {
    faces: scan,
    events,
    get version() {
      return gallery.servingVersion;
    },
    get calibration() {
      return gallery.calibration;
    },
  };
  const kinds: KindDefinition[] = [
    clusteringKind(sources),
    reporterKind({ tasks, results, scan, sampleFiles: deps.sampleFiles }),
    exporterKind({ faces: scan, events }),
    crossMatchKind({ ...sources, attributes: deps.faces.attributes }),
    linkerKind({ faces: deps.faces.service, scan, events, lists: deps.faces.lists }),
    gcKind({
      repository: createGcRepository(deps.db),
      sampleFiles: deps.sampleFiles,
      events: deps.events.remover,
      get servingVersion() {
        return gallery.servingVersion;
      },
    }),
    additionalExtractionKind({
      scan,
      writer: createDescriptorWriter(deps.db),
      events: deps.events.descriptors,
      sampleFiles: deps.sampleFiles,
      decodeCrop: deps.recognition.decodeCrop,
      extractors: new Map(deps.recognition.extractors.map((e) => [e.version, e])),
      gallery,
      versions: deps.recognition.versions,
      scopeOf: createAccountScope(deps.db),
    }),
    rocKind(sources),
    estimatorKind(deps.estimation),
  ];
  return new Map<TaskKind, KindDefinition>(kinds.map((k) => [k.kind, k]));
}

/** Builds the tasks module; nothing runs until `start`. */
export function createTasksModule(deps: TasksDeps): TasksModule {
  const log = deps.logger;
  const repository = createTaskRepository(deps.db);
  const results = createFileStore(path.join(deps.dataDir, 'task-results'), '.result');
  const kinds = kindsOf(deps, repository, results);
  let worker: TaskWorker | undefined;
  const stops: (() => void)[] = [];
  const service = createTaskService({
    repository,
    kinds,
    results,
    onQueued: () => worker?.wake(),
  });
  const schedules = createScheduleService({
    repository: createScheduleRepository(deps.db),
    tasks: service,
    kinds,
    logger: log,
  });
  return {
    service,
    schedules,
    routes: [...scheduleRoutes(schedules), ...taskRoutes(service, kinds.values())],
    fileOwners: [{ table: 'tasks', idColumn: 'task_id', files: results }],
    async start() {
      const recovered = await repository.recoverInterrupted(deps.settings.maxAttempts, Date.now());
      log.info('tasks_recovered', recovered);
      worker = startTaskWorker({
        repository,
        kinds,
        results,
        logger: log,
        settings: deps.settings,
      });
      stops.push(startScheduler(schedules, log), startResultSweeper(repository, results, log));
    },
    async close() {
      for (const stop of stops.splice(0)) {
        stop();
      }
      await worker?.stop();
    },
  };
}
