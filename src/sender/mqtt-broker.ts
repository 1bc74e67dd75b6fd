/**
 * The embedded MQTT broker (aedes) on `MQTT_LISTEN`, used when no `MQTT_URL` is set. Clients
 * log in with an account's login and password, or with an empty user name (or `token`) and an
 * API token as the password; each may subscribe only under `lunette/<its account_id>/` and may
 * not publish. The appliance publishes straight into the broker.
 */
import { createServer, type Server } from 'node:net';
import { Aedes, type Client } from 'aedes';
import type { AccountContext, Authenticator } from '../accounts/index.ts';
import type { Logger } from '../logger/index.ts';
import { type Channel, qosOf, retryOn, topicOf } from './channel.ts';

/** The running broker: a channel into it, its bound port, and its shutdown. */
export interface EmbeddedBroker {
  channel: Channel;
  port: number;
  close(): Promise<void>;
}

/** Where and whom the broker serves. */
export interface EmbeddedBrokerDeps {
  host: string;
  port: number;
  authenticate: Authenticator;
  logger: Logger;
}

const EVENT_ACCESS = { resource: 'events', permission: 'view' } as const;

/** The `Authorization` header an MQTT login stands for. */
export function authorizationOf(username: string | undefined, password: string): string {
  if (!username || username === 'token') {
    return `Bearer ${password}`;
  }
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** True when `topic` (a filter, wildcards allowed) lies under the account's own prefix. */
export function mayWatch(accountId: string, topic: string): boolean {
  return topic.startsWith(`lunette/${accountId}/`);
}

async function login(
  deps: EmbeddedBrokerDeps,
  client: Client,
  username: string | undefined,
  password: Buffer | undefined,
): Promise<AccountContext | undefined> {
  if (!password) {
    return undefined;
  }
  const request = new Request('http://mqtt.invalid/', {
    headers: { Authorization: authorizationOf(username, password.toString('utf8')) },
  });
  const clientAddress = (client.conn as { remoteAddress?: string }).remoteAddress;
  return deps.authenticate({ request, clientAddress }, EVENT_ACCESS).catch(() => undefined);
}

function createAedes(deps: EmbeddedBrokerDeps): Promise<Aedes> {
  const accounts = new WeakMap<Client, string>();
  return Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      void login(deps, client, username, password).then((account) => {
        if (!account) {
          const error = Object.assign(new Error('bad credentials'), { returnCode: 4 });
          done(error, false);
          return;
        }
        accounts.set(client, account.accountId);
        done(null, true);
      });
    },
    authorizeSubscribe: (client, sub, done) => {
      const accountId = accounts.get(client);
      done(null, accountId && mayWatch(accountId, sub.topic) ? sub : null);
    },
    authorizePublish: (client, _packet, done) => {
      done(client ? new Error('clients may not publish') : null);
    },
  });
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const busy = err.code === 'EADDRINUSE';
      const why = busy ? 'is already in use' : `cannot be listened on (${err.message})`;
      reject(
        new Error(
          `MQTT_LISTEN ${host}:${port} ${why}; set MQTT_LISTEN to a free address, ` +
            'MQTT_LISTEN=off, or MQTT_URL to publish to an outside broker',
        ),
      );
    });
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function publisher(broker: Aedes): Channel {
  return {
    send: (d) =>
      new Promise((resolve) => {
        const packet = {
          cmd: 'publish' as const,
          topic: topicOf(d),
          payload: Buffer.from(d.payload),
          qos: qosOf(d),
          retain: false,
          dup: false,
        };
        broker.publish(packet, (err) => resolve(err ? retryOn(err) : { kind: 'sent' }));
      }),
  };
}

/** Starts the embedded broker; rejects with a clear message when the address is busy. */
export async function startEmbeddedBroker(deps: EmbeddedBrokerDeps): Promise<EmbeddedBroker> {
  const broker = await createAedes(deps);
  const server = createServer(broker.handle);
  const port = await listen(server, deps.host, deps.port).catch((err: unknown) => {
    broker.close();
    throw err;
  });
  deps.logger.info('mqtt_broker_listening', { host: deps.host, port });
  return {
    channel: publisher(broker),
    port,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
