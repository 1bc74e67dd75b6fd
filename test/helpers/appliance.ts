/**
 * Builds the real appliance in-process for integration tests: a fresh data dir in /tmp, the
 * real models, and one shared vision pipeline per test file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Appliance, createAppliance } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createLogger, setLogLevel } from '../../src/logger/index.ts';
import { createVision, type Vision } from '../../src/vision/index.ts';
import { resolveModelFiles } from '../../src/vision/model-files.ts';
import { basicAuth, TEST_ADMIN } from './credentials.ts';
import { MODELS_DIR } from './paths.ts';

let sharedVision: Promise<Vision> | undefined;

/** The vision pipeline with the real models, created once per test file. */
export function testVision(): Promise<Vision> {
  sharedVision ??= resolveModelFiles(MODELS_DIR).then((models) =>
    createVision({ models, threads: 1, maxPixels: 50_000_000 }),
  );
  return sharedVision;
}

/**
 * Configuration of a test appliance on `dataDir`: the real models, the test admin, and the
 * embedded broker on any free port (Mosquitto holds 1883 on test machines); `env` overrides.
 */
export function testConfig(dataDir: string, env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    LUNETTE_DATA_DIR: dataDir,
    LUNETTE_MODELS_DIR: MODELS_DIR,
    LUNETTE_BOOTSTRAP_ADMIN: `${TEST_ADMIN.login}:${TEST_ADMIN.password}`,
    MQTT_LISTEN: '127.0.0.1:0',
    ...env,
  });
}

/** A running appliance plus the temp folder it owns. */
export interface TestAppliance extends Appliance {
  dataDir: string;
  /** `Authorization` header of the bootstrap admin (see `TEST_ADMIN`). */
  adminAuth: Record<string, string>;
  /** Closes the appliance and removes its data dir. */
  dispose(): Promise<void>;
}

/** Starts an appliance on a new temp data dir with extra environment values. */
export async function startTestAppliance(
  env: Record<string, string | undefined> = {},
): Promise<TestAppliance> {
  setLogLevel('error');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lunette-test-'));
  const config = testConfig(dataDir, env);
  const appliance = await createAppliance({
    config,
    vision: await testVision(),
    logger: createLogger({ module: 'test' }),
  });
  return {
    ...appliance,
    dataDir,
    adminAuth: basicAuth(TEST_ADMIN.login, TEST_ADMIN.password),
    dispose: async () => {
      await appliance.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
