/**
 * The composition root: opens the adapters once, hands each service only what it uses, mounts
 * the routes, and closes everything it opened. `main.ts` and the tests both start here.
 */
import path from 'node:path';
import type { Hono } from 'hono';
import pkg from '../package.json' with { type: 'json' };
import { createAccountsModule } from './accounts/index.ts';
import {
  attributeRoutes,
  createAttributeService,
  createSqlAttributeStore,
  startAttributeSweeper,
} from './attributes/index.ts';
import { type Config, ConfigError } from './config.ts';
import { migrate, openDatabase } from './db/index.ts';
import {
  createEnrolmentService,
  createPolicyRepository,
  enrolmentRoutes,
} from './enrolment/index.ts';
import { createFaceEstimator, createSdkService, estimationRoutes } from './estimations/index.ts';
import { createEventsModule } from './events/index.ts';
import { createFaceRepository, createFaceService, faceRoutes } from './faces/index.ts';
import { capabilitiesOf, createHandlersModule } from './handlers/index.ts';
import { type AppEnv, createHttpApp, type RouteDef } from './http/index.ts';
import { createFileStore, createImageStore, type FileOwner } from './images/index.ts';
import { createListRepository, createListService, listRoutes } from './lists/index.ts';
import type { Logger } from './logger/index.ts';
import {
  calibrationOf,
  createListIndexService,
  createMatchService,
  createReferenceResolver,
  createVersionRepository,
  type DescriptorExtractor,
  Gallery,
  listIndexRoutes,
  matcherRoutes,
  openExtraExtractor,
  servedVersionAtStart,
  type VersionRepository,
  VersionSwitch,
} from './matcher/index.ts';
import { createSampleRepository, createSampleService, sampleRoutes } from './samples/index.ts';
import { callbackRefusalOf, createSenderModule, WS_OPENAPI } from './sender/index.ts';
import { systemRoutes } from './system/routes.ts';
import { createTasksModule } from './tasks/index.ts';
import { createVerifiersModule } from './verifiers/index.ts';
import { servingVision, type Vision } from './vision/index.ts';

/** The running appliance minus its socket. */
export interface Appliance {
  app: Hono<AppEnv>;
  /** The route table the app serves (tests walk it). */
  routes: RouteDef[];
  /** Port of the embedded MQTT broker, when it runs (tests listen on port 0). */
  mqttPort(): number | undefined;
  close(): Promise<void>;
}

const EXTRA_RECOGNIZERS_KEY = 'LUNETTE_EXTRA_RECOGNIZERS';

/** Parts opened outside because they are costly or shared (tests reuse one vision). */
export interface ApplianceParts {
  config: Config;
  vision: Vision;
  logger: Logger;
  /** Recognizers besides `vision` that tasks may extract descriptors with (model upgrades). */
  extraExtractors?: DescriptorExtractor[];
}

type OpenExtractor = DescriptorExtractor & { close(): Promise<void> };

/**
 * The recognizers `LUNETTE_EXTRA_RECOGNIZERS` names, opened (none when it is not set). A tag
 * equal to the shipped recognizer's stops start-up; so does a file that is not a recognizer.
 */
async function openConfiguredRecognizers(
  config: Config,
  own: DescriptorExtractor,
  logger: Logger,
): Promise<OpenExtractor[]> {
  const clash = config.extraRecognizers.find((spec) => spec.version === own.version);
  if (clash) {
    throw new ConfigError(
      [EXTRA_RECOGNIZERS_KEY],
      `${EXTRA_RECOGNIZERS_KEY}: version ${clash.version} is the shipped recognizer's own; ` +
        'pick a new tag',
    );
  }
  const opened: OpenExtractor[] = [];
  try {
    for (const spec of config.extraRecognizers) {
      opened.push(await openExtraExtractor(spec, own.calibration, config.inferenceThreads, logger));
    }
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
  return opened;
}

async function closeAll(extractors: OpenExtractor[]): Promise<void> {
  for (const extractor of extractors) {
    await extractor.close();
  }
}

/**
 * The version matching serves from start-up; refuses to start (ConfigError) when the persisted
 * one has no recognizer and some faces could not be matched with the shipped one.
 */
async function servedVersion(
  repository: VersionRepository,
  extractors: ReadonlyMap<string, DescriptorExtractor>,
  native: string,
  logger: Logger,
): Promise<string> {
  const outcome = await servedVersionAtStart(repository, extractors, native, logger);
  if (outcome.status !== 'unavailable') {
    return outcome.version;
  }
  const { persisted, missing } = outcome;
  throw new ConfigError(
    [EXTRA_RECOGNIZERS_KEY],
    `matching serves descriptor version ${persisted}, but no recognizer of it is loaded and ` +
      `${missing} face(s) have no ${native} descriptor to fall back to; ` +
      `set ${EXTRA_RECOGNIZERS_KEY} to include ${persisted}=<file>`,
  );
}

/** Opens storage, builds every service and the HTTP app. Does not close `vision`. */
export async function createAppliance(parts: ApplianceParts): Promise<Appliance> {
  const { config, logger } = parts;

  // Descriptor versions (issue 8): the recognizer's own and any other loaded; the served one.
  const native = parts.vision;
  const own: DescriptorExtractor = {
    version: native.descriptorVersion,
    calibration: calibrationOf(native.descriptorVersion),
    extract: (crops) => native.extract(crops),
  };
  const configured = await openConfiguredRecognizers(config, own, logger);
  const extras = [...(parts.extraExtractors ?? []), ...configured];
  const extractors = new Map([own, ...extras].map((e) => [e.version, e]));

  const db = await openDatabase(config.dbUrl, config.dbAuthToken);
  const versionRepository = createVersionRepository(db);
  let served: string;
  try {
    await migrate(db);
    served = await servedVersion(versionRepository, extractors, native.descriptorVersion, logger);
  } catch (error) {
    db.close();
    await closeAll(configured);
    throw error;
  }
  const gallery = new Gallery(served, {
    calibration: extractors.get(served)!.calibration,
    precision: config.matchPrecision,
    rowsDir: path.join(config.dataDir, 'matcher'),
    index: {
      root: path.join(config.dataDir, 'indexes'),
      minFaces: config.indexMinFaces,
      maxDelta: config.indexMaxDelta,
      precision: config.indexPrecision,
      buildThreads: config.indexBuildThreads,
    },
    logger: logger.child({ module: 'matcher' }),
  });
  const loaded = await gallery.load(db);
  logger.info('gallery_loaded', { descriptors: loaded });

  // Sender (issue 5): Redis when configured, the outbox hook; started once accounts exist.
  const sender = await createSenderModule({
    db,
    config: config.sender,
    logger: logger.child({ module: 'sender' }),
  });

  const sampleFiles = createFileStore(path.join(config.dataDir, 'samples'), '.jpg');
  const versions = new VersionSwitch({
    db,
    repository: versionRepository,
    gallery,
    extractors,
    sampleFiles,
    decodeCrop: (jpeg) => native.decodeCrop(jpeg),
    logger: logger.child({ module: 'matcher' }),
  });
  await versions.open();
  const describeMore = versions.describeMore.bind(versions);
  // Requests describe faces with the recognizer of the version matching serves.
  const vision = servingVision(native, () => versions.serving);
  const estimator = createFaceEstimator(vision);
  const samples = createSampleService({
    vision,
    repository: createSampleRepository(db),
    files: sampleFiles,
    estimator,
  });
  const attributeStore = sender.attributeStore ?? createSqlAttributeStore(db);
  const attributes = createAttributeService({
    vision,
    samples,
    store: attributeStore,
    defaultTtlSeconds: config.attributeTtlSeconds,
  });
  const faceRepository = createFaceRepository(db);
  const listRepository = createListRepository(db);
  const enrolment = createEnrolmentService(createPolicyRepository(db), listRepository);
  const faces = createFaceService({
    faces: faceRepository,
    lists: listRepository,
    attributes,
    gallery,
    enrolment,
    describeMore,
  });
  const lists = createListService(listRepository, gallery);
  const matcher = createMatchService({ gallery, faces: faceRepository, lists: listRepository });
  const events = createEventsModule({
    db,
    dataDir: config.dataDir,
    sampleFiles,
    attributes: attributeStore,
    gallery,
    hooks: [sender.outbox],
    describeMore,
    matrix: { precision: config.matchPrecision, rowsDir: path.join(config.dataDir, 'matcher') },
  });
  const eventsLoaded = await events.descriptorMatrix.load();
  logger.info('event_descriptors_loaded', { descriptors: eventsLoaded });
  versions.follow(events.descriptorMatrix);
  const resolve = createReferenceResolver({
    faces: faceRepository,
    attributes,
    samples,
    vision,
    events: events.matcher,
  });
  // Every table whose rows name files; modules opened below add theirs (account erasure).
  const fileOwners: FileOwner[] = [{ table: 'samples', idColumn: 'sample_id', files: sampleFiles }];
  const accounts = await createAccountsModule({
    db,
    dataDir: config.dataDir,
    bootstrapAdmin: config.bootstrapAdmin,
    fileOwners,
    gallery: {
      dropList: (listId) => gallery.dropList(listId),
      removeFace: (faceId) => gallery.removeFace(faceId),
      forgetAccount: (accountId) => events.descriptorMatrix.forgetAccount(accountId),
    },
    logger: logger.child({ module: 'accounts' }),
  });

  // Handlers, event generation and verifiers (issue 4).
  const handlers = createHandlersModule({
    db,
    vision,
    lists: listRepository,
    faceMatcher: matcher,
    events,
    defaultTtlSeconds: config.attributeTtlSeconds,
    callbackRefusal: callbackRefusalOf(config.sender),
    logger: logger.child({ module: 'handlers' }),
  });
  const verifiers = createVerifiersModule({
    db,
    pipeline: handlers.pipeline,
    resolve,
    similarity: matcher.similarity,
    capabilities: capabilitiesOf(vision),
  });

  // Background tasks (issue 8): clustering, ROC, linker, gc, re-extraction, … and schedules.
  const tasks = createTasksModule({
    db,
    dataDir: config.dataDir,
    sampleFiles,
    faces: { service: faces, lists: listRepository, attributes },
    events,
    recognition: {
      gallery,
      versions,
      extractors: [...extractors.values()],
      decodeCrop: (jpeg) => native.decodeCrop(jpeg),
    },
    estimation: { handlers, importDir: config.importDir, maxImageBytes: config.maxBodyBytes },
    logger: logger.child({ module: 'tasks' }),
    settings: {
      sliceMs: config.taskSliceMs,
      pauseMs: config.taskPauseMs,
      maxAttempts: config.taskMaxAttempts,
    },
  });

  const stopSweeper = startAttributeSweeper(attributeStore, logger.child({ module: 'attributes' }));

  // Liveness, estimators, quality-gated enrolment and the image store (issue 7).
  const imageStore = createImageStore({
    db,
    dataDir: config.dataDir,
    imageFormat: config.imageStoreFormat,
    maxImagePixels: config.maxImagePixels,
    logger: logger.child({ module: 'images' }),
  });
  await imageStore.check();
  fileOwners.push(...events.fileOwners, ...tasks.fileOwners, ...imageStore.fileOwners);
  const stopStoreSweeper = imageStore.startSweeper();

  const routes = [
    ...systemRoutes({
      version: pkg.version,
      get descriptorVersion() {
        return gallery.servingVersion;
      },
      executionProvider: vision.executionProvider,
      db,
    }),
    ...sampleRoutes(samples),
    ...attributeRoutes(attributes),
    ...listRoutes(lists),
    ...faceRoutes(faces),
    ...matcherRoutes(matcher, resolve, events.candidates, () => gallery.descriptorVersion),
    ...listIndexRoutes(createListIndexService({ gallery, lists: listRepository })),
    ...accounts.routes,
    ...estimationRoutes(createSdkService(vision, estimator)),
    ...enrolmentRoutes(enrolment),
    ...imageStore.routes,
    ...handlers.routes,
    ...events.routes,
    ...verifiers.routes,
    ...tasks.routes,
    ...sender.routes,
  ];
  const app = createHttpApp({
    routes,
    authenticate: accounts.authenticate,
    maxBodyBytes: config.maxBodyBytes,
    maxJsonBytes: config.maxJsonBytes,
    version: pkg.version,
    logger,
    around: (fn) => gallery.pinned(fn),
    documentedPaths: WS_OPENAPI,
  });
  await sender.start(app, accounts.authenticate);
  await tasks.start();
  return {
    app,
    routes,
    mqttPort: sender.mqttPort,
    close: async () => {
      await sender.close();
      await tasks.close();
      stopSweeper();
      stopStoreSweeper();
      await gallery.close();
      events.descriptorMatrix.close();
      await closeAll(configured);
      db.close();
    },
  };
}
