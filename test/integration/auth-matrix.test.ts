/**
 * Walks every route of the route table with no credentials, bad credentials, an expired
 * token, a token lacking the needed permission, a token holding exactly it, and another
 * account's ids. A route added later is walked too, and fails here until it is classified.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permissions, RESOURCES } from '../../src/accounts/index.ts';
import { accessOf, type RouteDef } from '../../src/http/index.ts';
import { createAccount, issueToken, type TestAccount } from '../helpers/accounts.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { basicAuth, bearerAuth } from '../helpers/credentials.ts';
import { lfwImage } from '../helpers/paths.ts';

type Ids = Record<string, string>;
type BodyOf = (ids: Ids) => unknown;

const SECRET_TAG = 'owner-secret-tag';
const RAW_DESCRIPTOR = Buffer.alloc(512 * 4, 1).toString('base64');

/** Handler policies that match against the list of the account under test. */
const MATCH_OWNER_LIST = (ids: Ids) => ({
  match_policy: [{ label: 'a', candidates: { origin: 'faces', list_id: ids.list_id } }],
});

/** JSON bodies that pass validation, built around the ids of the account under test. */
const BODIES: Record<string, BodyOf> = {
  'POST /6/extractor': (ids) => ({ samples: [ids.sample_id] }),
  'POST /6/lists': () => ({ user_data: 'x' }),
  'PATCH /6/lists/:list_id': () => ({ user_data: 'changed' }),
  'POST /6/faces': (ids) => ({ user_data: 'x', lists: [ids.list_id] }),
  'PATCH /6/faces/:face_id': () => ({ user_data: 'changed' }),
  'PATCH /6/linker': (ids) => ({
    action: 'attach',
    list_id: ids.own_list_id,
    face_ids: [ids.face_id],
  }),
  'POST /6/matcher/faces': (ids) => ({
    references: [{ type: 'face', id: ids.face_id }],
    candidates: [{ filters: { origin: 'faces', list_id: ids.own_list_id } }],
  }),
  'POST /6/matcher/raw': (ids) => ({
    references: [{ id: 'probe', descriptor: RAW_DESCRIPTOR }],
    candidates: [{ filters: { origin: 'faces', list_id: ids.list_id } }],
  }),
  'POST /6/accounts': () => ({ login: 'fresh@lunette.test', password: 'fresh-password-0' }),
  'PATCH /6/accounts/:account_id': () => ({ description: 'changed' }),
  'POST /6/accounts/tokens': () => ({ permissions: {} }),
  'PUT /6/accounts/tokens/:token_id': () => ({ permissions: {} }),
  'POST /6/setup': () => ({}),
  'POST /6/handlers': (ids) => ({ policies: MATCH_OWNER_LIST(ids) }),
  'PUT /6/handlers/:handler_id': () => ({ policies: {} }),
  'POST /6/handlers/validator': (ids) => ({ policies: MATCH_OWNER_LIST(ids) }),
  'POST /6/events/statistics': () => ({ group_by: 'hour' }),
  'POST /6/verifiers': () => ({ description: 'x' }),
  'PUT /6/verifiers/:verifier_id': () => ({ description: 'changed' }),
  'PUT /6/lists/:list_id/enrolment_policy': () => ({ min_eye_distance: 10 }),
  'POST /6/tasks/clustering': () => ({ filters: { origin: 'faces' } }),
  'POST /6/tasks/exporter': () => ({ filters: { origin: 'faces' } }),
  'POST /6/tasks/roc': () => ({ filters: { origin: 'faces' } }),
  'POST /6/tasks/cross_match': () => ({
    references: { filters: { origin: 'faces' } },
    candidates: { filters: { origin: 'faces' } },
  }),
  'POST /6/tasks/linker': () => ({ filters: { origin: 'faces' }, create_list: {} }),
  'POST /6/tasks/gc': () => ({ target: 'attributes', older_than: 3600 }),
  'POST /6/tasks/additional_extraction': () => ({ descriptor_version: 'fr_feature-1' }),
  'POST /6/tasks/reporter': (ids) => ({ task_id: ids.task_id }),
  'POST /6/tasks/estimator': (ids) => ({
    handler_id: ids.handler_id,
    source: { type: 'folder', path: 'nothing-here' },
  }),
  'PATCH /6/tasks/:task_id': () => ({ status: 'cancelled' }),
  'POST /6/tasks/schedules': () => ({
    cron: '@daily',
    task: { kind: 'gc', params: { target: 'attributes', older_than: 3600 } },
  }),
  'PATCH /6/tasks/schedules/:schedule_id': () => ({ enabled: false }),
};

/** Routes without ids in path or body: other accounts' data can only leak through listings. */
const WITHOUT_IDS = new Set([
  'POST /6/detector',
  'POST /6/lists',
  'POST /6/accounts',
  'POST /6/accounts/tokens',
  'GET /6/lists',
  'GET /6/faces',
  'GET /6/accounts',
  'GET /6/accounts/tokens',
  'GET /6/handlers',
  'GET /6/handlers/count',
  'GET /6/events',
  'POST /6/events/statistics',
  'POST /6/verifiers',
  'GET /6/verifiers',
  'POST /6/sdk',
  'POST /6/liveness',
  'POST /6/images',
  'POST /6/objects',
  'POST /6/tasks/clustering',
  'POST /6/tasks/exporter',
  'POST /6/tasks/roc',
  'POST /6/tasks/cross_match',
  'POST /6/tasks/linker',
  'POST /6/tasks/gc',
  'POST /6/tasks/additional_extraction',
  'GET /6/tasks',
  'POST /6/tasks/schedules',
  'GET /6/tasks/schedules',
]);

/** Resources whose views (matching included) an advanced_user has on every account. */
const SHARED_RESOURCES = ['faces', 'lists', 'matcher', 'events'];

function sharedRead(route: RouteDef): boolean {
  const access = accessOf(route);
  return access.permission === 'view' && SHARED_RESOURCES.includes(access.resource);
}

let appliance: TestAppliance;
let admin: ApiClient;
let owner: TestAccount;
let stranger: TestAccount;
let advanced: TestAccount;
let expiredToken: string;
let expiresAt: number;
const ownerIds: Ids = {};
const strangerIds: Ids = {};

const keyOf = (route: RouteDef) => `${route.method.toUpperCase()} ${route.path}`;
const guarded = () => appliance.routes.filter((r) => !r.public);
const randomIds = (): Ids => new Proxy({}, { get: () => crypto.randomUUID() }) as unknown as Ids;

function pathWith(route: RouteDef, ids: Ids): string {
  return route.path.replace(/:([a-z_]+)/g, (_, name: string) => {
    if (!ids[name]) {
      throw new Error(`${keyOf(route)}: no test id for :${name}; add one to the fixture`);
    }
    return ids[name]!;
  });
}

function bodyInit(route: RouteDef, ids: Ids): { body?: RequestInit['body']; type?: string } {
  if (route.body?.kind === 'images') {
    return { body: new Uint8Array([1, 2, 3]), type: 'image/jpeg' };
  }
  if (route.body?.kind !== 'json') {
    return {};
  }
  const make = BODIES[keyOf(route)];
  if (!make) {
    throw new Error(`${keyOf(route)}: add a valid body to BODIES`);
  }
  return { body: JSON.stringify(make(ids)), type: 'application/json' };
}

async function call(route: RouteDef, ids: Ids, headers: Record<string, string>) {
  const { body, type } = bodyInit(route, ids);
  const h = new Headers(headers);
  if (type) {
    h.set('Content-Type', type);
  }
  const res = await appliance.app.request(pathWith(route, ids), {
    method: route.method.toUpperCase(),
    headers: h,
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Checks `expect` on every guarded route and reports all failures at once. */
async function walk(
  check: (route: RouteDef) => Promise<string | undefined>,
  routes = guarded(),
): Promise<void> {
  const failures: string[] = [];
  for (const route of routes) {
    const problem = await check(route);
    if (problem) {
      failures.push(`${keyOf(route)}: ${problem}`);
    }
  }
  expect(failures).toEqual([]);
}

function leaks(text: string, sent: string): string | undefined {
  const secrets = [owner.login, SECRET_TAG, ...Object.values(ownerIds)];
  return secrets.find((s) => text.includes(s) && !sent.includes(s));
}

function expectStatus(
  got: { status: number; text: string },
  want: number[],
  sent = '',
): string | undefined {
  if (!want.includes(got.status)) {
    return `status ${got.status}, want ${want.join('/')}: ${got.text.slice(0, 160)}`;
  }
  const leaked = leaks(got.text, sent);
  return leaked ? `leaks ${leaked}` : undefined;
}

const tokenCache = new Map<string, string>();

/** An admin token holding every permission but (or only) the one `route` needs. */
async function adminToken(route: RouteDef, only: boolean): Promise<string> {
  const access = accessOf(route);
  const key = `${only}:${access.resource}:${access.permission}`;
  const cached = tokenCache.get(key);
  if (cached) {
    return cached;
  }
  const permissions: Permissions = only
    ? { [access.resource]: [access.permission] }
    : Object.fromEntries(
        RESOURCES.map((r) => [
          r,
          PERMISSIONS.filter((p) => r !== access.resource || p !== access.permission),
        ]),
      );
  const { token } = await issueToken(appliance.app, admin, permissions);
  tokenCache.set(key, token);
  return token;
}

async function seedOwner(): Promise<void> {
  const api = owner.api;
  const detected = await api.postBytes('/6/detector', await readFile(lfwImage('Tony_Blair', 18)));
  expect(detected.status).toBe(201);
  ownerIds.sample_id = detected.body.images[0].detections.samples[0].sample_id;
  const extracted = await api.postJson('/6/extractor', { samples: [ownerIds.sample_id] });
  ownerIds.attribute_id = extracted.body[0].attribute_id;
  ownerIds.list_id = (await api.postJson('/6/lists', { user_data: SECRET_TAG })).body.list_id;
  const face = await api.postJson('/6/faces', {
    attribute_id: ownerIds.attribute_id,
    external_id: SECRET_TAG,
    lists: [ownerIds.list_id],
  });
  ownerIds.face_id = face.body.face_id;
  ownerIds.account_id = owner.accountId;
  ownerIds.token_id = (await issueToken(appliance.app, api, { faces: ['view'] })).tokenId;
  await seedOwnerEvents(api);
}

/** A handler that keeps the photo, one event made by it, and a verifier. */
async function seedOwnerEvents(api: ApiClient): Promise<void> {
  const handler = await api.postJson('/6/handlers', {
    description: SECRET_TAG,
    policies: { storage_policy: { image_origin_policy: { store_image: 1 } } },
  });
  ownerIds.handler_id = handler.body.handler_id;
  const photo = await readFile(lfwImage('Tony_Blair', 18));
  const events = await api.postBytes(`/6/handlers/${ownerIds.handler_id}/events`, photo);
  const [event] = events.body.events;
  ownerIds.event_id = event.event_id;
  ownerIds.origin_id = event.detections[0].image_origin.split('/').at(-1);
  const verifier = await api.postJson('/6/verifiers', { description: SECRET_TAG });
  ownerIds.verifier_id = verifier.body.verifier_id;
  await seedOwnerFiles(api, photo);
  await seedOwnerTasks(api);
}

/** A finished clustering task and a schedule. */
async function seedOwnerTasks(api: ApiClient): Promise<void> {
  const task = await api.postJson('/6/tasks/clustering', {
    description: SECRET_TAG,
    filters: { origin: 'faces', list_id: ownerIds.list_id },
  });
  ownerIds.task_id = task.body.task_id;
  const schedule = await api.postJson('/6/tasks/schedules', {
    cron: '@daily',
    description: SECRET_TAG,
    task: { kind: 'gc', params: { target: 'attributes', older_than: 3600 } },
  });
  ownerIds.schedule_id = schedule.body.schedule_id;
}

/** An origin image and an object in the image store. */
async function seedOwnerFiles(api: ApiClient, photo: Buffer): Promise<void> {
  ownerIds.image_id = (await api.postBytes('/6/images', photo)).body.image_id;
  const tag = new TextEncoder().encode(SECRET_TAG);
  ownerIds.object_id = (await api.postBytes('/6/objects', tag, 'text/plain')).body.object_id;
}

beforeAll(async () => {
  appliance = await startTestAppliance();
  admin = apiClient(appliance.app, appliance.adminAuth);
  owner = await createAccount(appliance.app, admin, 'user', 'owner');
  stranger = await createAccount(appliance.app, admin, 'user', 'stranger');
  advanced = await createAccount(appliance.app, admin, 'advanced_user', 'advanced');
  expiresAt = Date.now() + 1500;
  const all = Object.fromEntries(RESOURCES.map((r) => [r, [...PERMISSIONS]]));
  expiredToken = (
    await issueToken(appliance.app, owner.api, all, new Date(expiresAt).toISOString())
  ).token;
  await seedOwner();
  for (const account of [stranger, advanced]) {
    const list = await account.api.postJson('/6/lists', {});
    strangerIds[account.login] = list.body.list_id;
  }
});

afterAll(async () => {
  await appliance?.dispose();
});

describe('auth matrix', () => {
  it('names a known token resource on every guarded route', () => {
    const unknown = guarded().filter((r) => !(RESOURCES as readonly string[]).includes(r.resource));
    expect(unknown.map(keyOf)).toEqual([]);
  });

  it('serves the public routes without credentials', async () => {
    const open = appliance.routes.filter((r) => r.public);
    expect(open.map(keyOf).sort()).toEqual([
      'GET /6/healthcheck',
      'GET /6/version',
      'POST /6/setup',
    ]);
    await walk(async (route) => {
      const res = await call(route, randomIds(), {});
      return [401, 403].includes(res.status) ? `status ${res.status}` : undefined;
    }, open);
    expect((await appliance.app.request('/6/docs/spec')).status).toBe(200);
  });

  it('answers 401 with a challenge and nothing else without credentials', async () => {
    await walk(async (route) => {
      const res = await call(route, ownerIds, {});
      if (!res.headers.get('www-authenticate')?.includes('Bearer')) {
        return 'no WWW-Authenticate challenge';
      }
      const keys = Object.keys(JSON.parse(res.text || '{}'))
        .sort()
        .join(',');
      if (route.method !== 'head' && keys !== 'desc,detail,error_code,link') {
        return `body keys ${keys}`;
      }
      return expectStatus(res, [401]);
    });
  });

  it('answers 401 for a wrong password, an unknown login and an unknown token', async () => {
    let n = 0;
    await walk(async (route) => {
      n += 1;
      // A wrong password and an unknown login each cost a slow hash: alternate them by route.
      const attempts = [
        n % 2 === 0
          ? basicAuth(owner.login, 'not-the-password')
          : basicAuth(`nobody${n}@lunette.test`, owner.password),
        bearerAuth(`lnt_${'A'.repeat(43)}`),
        { Authorization: 'Bearer' },
        { Authorization: `Basic ${owner.login}` },
      ];
      for (const headers of attempts) {
        const problem = expectStatus(await call(route, ownerIds, headers), [401]);
        if (problem) {
          return problem;
        }
      }
      // A good login clears the owner's failure count, so the walk never reaches throttling.
      expect((await owner.api.get('/6/lists')).status).toBe(200);
      return undefined;
    });
  });

  it('answers 401 for an expired token', async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 50)));
    await walk(async (route) =>
      expectStatus(await call(route, ownerIds, bearerAuth(expiredToken)), [401]),
    );
  });

  it('answers 403 for a token lacking exactly the permission the route needs', async () => {
    await walk(async (route) => {
      const headers = bearerAuth(await adminToken(route, false));
      return expectStatus(await call(route, randomIds(), headers), [403]);
    });
  });

  it('lets a token holding only the needed permission through', async () => {
    await walk(async (route) => {
      const headers = bearerAuth(await adminToken(route, true));
      const res = await call(route, randomIds(), headers);
      return [401, 403].includes(res.status) ? `status ${res.status}: ${res.text}` : undefined;
    });
  });

  it("answers 404 for another account's ids, exactly as for missing ones", async () => {
    const ids = { ...ownerIds, own_list_id: strangerIds[stranger.login]! };
    expect(guarded().filter((r) => !WITHOUT_IDS.has(keyOf(r))).length).toBeGreaterThanOrEqual(15);
    await walk(async (route) => {
      const key = keyOf(route);
      if (WITHOUT_IDS.has(key)) {
        return undefined;
      }
      const res = await call(route, ids, stranger.auth);
      const sent = pathWith(route, ids) + JSON.stringify(BODIES[key]?.(ids) ?? '');
      const problem = expectStatus(res, [404], sent);
      const code = route.method === 'head' ? 4 : JSON.parse(res.text).error_code;
      return problem ?? (code === 4 ? undefined : 'not not_found');
    });
  });

  it("lets an advanced_user read and match others' faces and lists, nothing else", async () => {
    const ids = { ...ownerIds, own_list_id: strangerIds[advanced.login]! };
    await walk(async (route) => {
      const key = keyOf(route);
      if (WITHOUT_IDS.has(key)) {
        return undefined;
      }
      const res = await call(route, ids, advanced.auth);
      if (sharedRead(route)) {
        return res.status < 300 ? undefined : `status ${res.status}: ${res.text.slice(0, 160)}`;
      }
      return res.status === 404 ? undefined : `status ${res.status}, want 404`;
    });
    expect((await owner.api.get(`/6/faces/${ownerIds.face_id}`)).body.user_data).toBe('');
  });

  it("lists none of another account's objects", async () => {
    const listings = guarded().filter((r) => r.method === 'get' && WITHOUT_IDS.has(keyOf(r)));
    expect(listings.length).toBeGreaterThanOrEqual(4);
    await walk(
      async (route) => expectStatus(await call(route, {}, stranger.auth), [200]),
      listings,
    );
  });
});
