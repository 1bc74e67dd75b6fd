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
import type { Config } from './config.ts';
import { migrate, openDatabase } from './db/index.ts';
import { createFaceRepository, createFaceService, faceRoutes } from './faces/index.ts';
import { type AppEnv, createHttpApp, type RouteDef } from './http/index.ts';
import { createFileStore } from './images/index.ts';
import { createListRepository, createListService, listRoutes } from './lists/index.ts';
import type { Logger } from './logger/index.ts';
import {
  createListIndexService,
  createMatchService,
  createReferenceResolver,
  Gallery,
  listIndexRoutes,
  matcherRoutes,
} from './matcher/index.ts';
import { createSampleRepository, createSampleService, sampleRoutes } from './samples/index.ts';
import { systemRoutes } from './system/routes.ts';
import type { Vision } from './vision/index.ts';

/** The running appliance minus its socket. */
export interface Appliance {
  app: Hono<AppEnv>;
  /** The route table the app serves (tests walk it). */
  routes: RouteDef[];
  close(): Promise<void>;
}

/** Parts opened outside because they are costly or shared (tests reuse one vision). */
export interface ApplianceParts {
  config: Config;
  vision: Vision;
  logger: Logger;
}

/** Opens storage, builds every service and the HTTP app. Does not close `vision`. */
export async function createAppliance(parts: ApplianceParts): Promise<Appliance> {
  const { config, vision, logger } = parts;
  const db = await openDatabase(config.dbUrl, config.dbAuthToken);
  await migrate(db);

  const gallery = new Gallery(vision.descriptorVersion, {
    precision: config.matchPrecision,
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

  const sampleFiles = createFileStore(path.join(config.dataDir, 'samples'), '.jpg');
  const samples = createSampleService({
    vision,
    repository: createSampleRepository(db),
    files: sampleFiles,
  });
  const attributeStore = createSqlAttributeStore(db);
  const attributes = createAttributeService({
    vision,
    samples,
    store: attributeStore,
    defaultTtlSeconds: config.attributeTtlSeconds,
  });
  const faceRepository = createFaceRepository(db);
  const listRepository = createListRepository(db);
  const faces = createFaceService({
    faces: faceRepository,
    lists: listRepository,
    attributes,
    gallery,
  });
  const lists = createListService(listRepository, gallery);
  const matcher = createMatchService({ gallery, faces: faceRepository, lists: listRepository });
  const resolve = createReferenceResolver({ faces: faceRepository, attributes, samples, vision });
  const accounts = await createAccountsModule({
    db,
    dataDir: config.dataDir,
    bootstrapAdmin: config.bootstrapAdmin,
    sampleFiles,
    gallery,
    logger: logger.child({ module: 'accounts' }),
  });
  const stopSweeper = startAttributeSweeper(attributeStore, logger.child({ module: 'attributes' }));

  const routes = [
    ...systemRoutes({
      version: pkg.version,
      descriptorVersion: vision.descriptorVersion,
      executionProvider: vision.executionProvider,
      db,
    }),
    ...sampleRoutes(samples),
    ...attributeRoutes(attributes),
    ...listRoutes(lists),
    ...faceRoutes(faces),
    ...matcherRoutes(matcher, resolve),
    ...listIndexRoutes(createListIndexService({ gallery, lists: listRepository })),
    ...accounts.routes,
  ];
  const app = createHttpApp({
    routes,
    authenticate: accounts.authenticate,
    maxBodyBytes: config.maxBodyBytes,
    maxJsonBytes: config.maxJsonBytes,
    version: pkg.version,
    logger,
  });
  return {
    app,
    routes,
    close: async () => {
      stopSweeper();
      await gallery.close();
      db.close();
    },
  };
}
