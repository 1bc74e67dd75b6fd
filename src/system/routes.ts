/** Routes about the appliance itself: version and health. Both need no credentials. */
import type { Database } from '../db/index.ts';
import { defineRoute, type RouteDef } from '../http/index.ts';

/** What the system routes report on. */
export interface SystemInfo {
  version: string;
  descriptorVersion: string;
  executionProvider: string;
  db: Database;
}

async function databaseReachable(db: Database): Promise<boolean> {
  try {
    await db.execute('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** Routes of `/6/version` and `/6/healthcheck`. */
export function systemRoutes(info: SystemInfo): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/6/version',
      summary: 'Version of the appliance and of its descriptor model',
      resource: 'system',
      public: true,
      responses: { 200: 'versions' },
      handler: async () => ({
        status: 200,
        json: {
          version: info.version,
          api: 6,
          descriptor_version: info.descriptorVersion,
        },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/6/healthcheck',
      summary: 'Whether the models are loaded and the database answers',
      resource: 'system',
      public: true,
      responses: { 200: 'healthy', 503: 'a part is down' },
      handler: async () => {
        const database = await databaseReachable(info.db);
        return {
          status: database ? 200 : 503,
          json: {
            status: database ? 'ok' : 'degraded',
            models: 'loaded',
            execution_provider: info.executionProvider,
            database: database ? 'ok' : 'unreachable',
          },
        };
      },
    }),
  ];
}
