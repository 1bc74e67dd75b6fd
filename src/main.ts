/**
 * Starts the appliance: config, models, vision, storage, HTTP on Bun.serve; closes everything
 * on SIGINT/SIGTERM. A bad configuration or a missing model stops start-up with the fix.
 */
import { websocket } from 'hono/bun';
import { createAppliance } from './app.ts';
import { loadConfig } from './config.ts';
import { createLogger, setLogLevel } from './logger/index.ts';
import { createVision } from './vision/index.ts';
import { resolveModelFiles } from './vision/model-files.ts';

const logger = createLogger({ module: 'main' });

async function start(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  const models = await resolveModelFiles(config.modelsDir);
  const vision = await createVision({
    models,
    threads: config.inferenceThreads,
    maxPixels: config.maxImagePixels,
    logger: logger.child({ module: 'vision' }),
  });
  const appliance = await createAppliance({ config, vision, logger });
  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch: appliance.app.fetch,
    websocket,
    // The app's own body limit answers oversized requests with the documented error body; Bun's
    // limit only stands behind it, so it never answers first.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
  });
  logger.info('listening', { url: server.url.href, dataDir: config.dataDir });

  const shutdown = async (signal: string) => {
    logger.info('shutting_down', { signal });
    await server.stop();
    await appliance.close();
    await vision.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

start().catch((error: unknown) => {
  logger.error('start_failed', { error: error instanceof Error ? error.message : error });
  process.exit(1);
});
