/**
 * Accounts over HTTP: first admin (bootstrap and setup secret), account rules, tokens,
 * throttling of failed logins, body limits, and erasure of everything a deleted account owns.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_ADMIN_ID } from '../../src/accounts/index.ts';
import { type Appliance, createAppliance } from '../../src/app.ts';
import { createLogger } from '../../src/logger/index.ts';
import { createAccount, issueToken, type TestAccount } from '../helpers/accounts.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import {
  startTestAppliance,
  type TestAppliance,
  testConfig,
  testVision,
} from '../helpers/appliance.ts';
import { basicAuth } from '../helpers/credentials.ts';
import { lfwImage } from '../helpers/paths.ts';

const FIRST = { login: 'first@lunette.test', password: 'first-admin-password' };

let appliance: TestAppliance;
let admin: ApiClient;
let alice: TestAccount;
let bob: TestAccount;

/** An appliance on `dataDir` with `env`, for restarts on the same data. */
async function openOn(dataDir: string, env: Record<string, string> = {}): Promise<Appliance> {
  const config = testConfig(dataDir, { LUNETTE_BOOTSTRAP_ADMIN: undefined, ...env });
  return createAppliance({ config, vision: await testVision(), logger: createLogger() });
}

async function withDataDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lunette-accounts-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  appliance = await startTestAppliance({ LUNETTE_MAX_JSON_BYTES: '4096' });
  admin = apiClient(appliance.app, appliance.adminAuth);
  alice = await createAccount(appliance.app, admin, 'user', 'alice');
  bob = await createAccount(appliance.app, admin, 'user', 'bob');
});

afterAll(async () => {
  await appliance?.dispose();
});

describe('first admin', () => {
  it('bootstraps from the environment on an empty data dir only', async () => {
    await withDataDir(async (dir) => {
      const env = { LUNETTE_BOOTSTRAP_ADMIN: `${FIRST.login}:${FIRST.password}` };
      const first = await openOn(dir, env);
      const res = await apiClient(first.app, basicAuth(FIRST.login, FIRST.password)).get(
        '/6/accounts',
      );
      expect(res.body.accounts.map((a: { account_id: string }) => a.account_id)).toEqual([
        FIRST_ADMIN_ID,
      ]);
      await first.close();
      const other = 'other@lunette.test:other-admin-password';
      const second = await openOn(dir, { LUNETTE_BOOTSTRAP_ADMIN: other });
      expect(
        (await apiClient(second.app, basicAuth(FIRST.login, FIRST.password)).get('/6/accounts'))
          .status,
      ).toBe(200);
      const ignored = apiClient(
        second.app,
        basicAuth('other@lunette.test', 'other-admin-password'),
      );
      expect((await ignored.get('/6/accounts')).status).toBe(401);
      expect(existsSync(path.join(dir, 'setup-token'))).toBe(false);
      await second.close();
    });
  });

  it('without bootstrap, admits nobody until the one-time setup secret is used', async () => {
    await withDataDir(async (dir) => {
      const box = await openOn(dir);
      const file = path.join(dir, 'setup-token');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const anon = apiClient(box.app);
      expect(
        (await apiClient(box.app, basicAuth(FIRST.login, FIRST.password)).get('/6/faces')).status,
      ).toBe(401);
      const body = { ...FIRST, setup_token: (await readFile(file, 'utf8')).trim() };
      expect((await anon.postJson('/6/setup', { ...body, setup_token: 'guess' })).status).toBe(401);
      const done = await anon.postJson('/6/setup', body);
      expect(done.status).toBe(201);
      expect(done.body.account_id).toBe(FIRST_ADMIN_ID);
      expect(existsSync(file)).toBe(false);
      expect((await anon.postJson('/6/setup', body)).status).toBe(409);
      expect(
        (await apiClient(box.app, basicAuth(FIRST.login, FIRST.password)).get('/6/faces')).status,
      ).toBe(200);
      await box.close();
      const again = await openOn(dir);
      expect(existsSync(file)).toBe(false);
      await again.close();
    });
  });
});

describe('accounts', () => {
  it('lets only an admin create accounts, with an e-mail login and a unique one', async () => {
    const body = {
      login: 'carol@lunette.test',
      password: 'carol-password-0',
      account_type: 'user',
    };
    expect((await alice.api.postJson('/6/accounts', body)).status).toBe(403);
    expect((await admin.postJson('/6/accounts', { ...body, login: 'carol' })).status).toBe(400);
    expect((await admin.postJson('/6/accounts', { ...body, password: 'short' })).status).toBe(400);
    const created = await admin.postJson('/6/accounts', body);
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(`/6/accounts/${created.body.account_id}`);
    expect(
      (await admin.postJson('/6/accounts', { ...body, login: 'Carol@Lunette.test' })).status,
    ).toBe(409);
  });

  it('shows a user only itself, and never a password hash', async () => {
    const own = await alice.api.get('/6/accounts');
    expect(own.body.accounts.map((a: { login: string }) => a.login)).toEqual([alice.login]);
    const all = await admin.get('/6/accounts?page_size=100');
    expect(all.body.count).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(all.body)).not.toMatch(/argon2|password/);
    expect((await alice.api.get(`/6/accounts/${bob.accountId}`)).status).toBe(404);
  });

  it('changes an own password; the old one stops working', async () => {
    const dave = await createAccount(appliance.app, admin, 'user', 'dave');
    const res = await dave.api.patchJson(`/6/accounts/${dave.accountId}`, {
      password: 'dave-new-password',
    });
    expect(res.status).toBe(204);
    expect((await dave.api.get('/6/lists')).status).toBe(401);
    const renewed = apiClient(appliance.app, basicAuth(dave.login, 'dave-new-password'));
    expect((await renewed.get('/6/lists')).status).toBe(200);
    expect(
      (await renewed.patchJson(`/6/accounts/${dave.accountId}`, { account_type: 'admin' })).status,
    ).toBe(403);
  });
});

describe('tokens', () => {
  it('shows a token once, stores it as a hash, and lists it without its value', async () => {
    const issued = await issueToken(appliance.app, alice.api, { lists: ['view'] });
    expect((await issued.api.get('/6/lists')).status).toBe(200);
    expect((await issued.api.postJson('/6/lists', {})).status).toBe(403);
    const listed = await alice.api.get('/6/accounts/tokens');
    expect(listed.body.tokens.map((t: { token_id: string }) => t.token_id)).toContain(
      issued.tokenId,
    );
    expect(JSON.stringify(listed.body)).not.toContain(issued.token);
    expect((await bob.api.get(`/6/accounts/tokens/${issued.tokenId}`)).status).toBe(404);
  });

  it('replaces the grant, refuses a wider one from a token, and revokes', async () => {
    const issued = await issueToken(appliance.app, alice.api, {
      lists: ['view'],
      tokens: ['creation'],
    });
    const wider = await issued.api.postJson('/6/accounts/tokens', {
      permissions: { faces: ['view'] },
    });
    expect(wider.status).toBe(403);
    const narrower = await issued.api.postJson('/6/accounts/tokens', {
      permissions: { lists: ['view'] },
    });
    expect(narrower.status).toBe(201);
    const url = `/6/accounts/tokens/${issued.tokenId}`;
    const put = await alice.api.raw(url, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ permissions: { faces: ['view'] } }),
    });
    expect(put.status).toBe(204);
    expect((await issued.api.get('/6/lists')).status).toBe(403);
    expect((await issued.api.get('/6/faces')).status).toBe(200);
    expect((await alice.api.delete(url)).status).toBe(204);
    expect((await issued.api.get('/6/faces')).status).toBe(401);
  });

  it('refuses an expiration in the past and unknown resources', async () => {
    const past = { permissions: { faces: ['view'] }, expiration_time: '2001-01-01T00:00:00Z' };
    expect((await alice.api.postJson('/6/accounts/tokens', past)).status).toBe(400);
    const unknown = { permissions: { spaceships: ['view'] } };
    expect((await alice.api.postJson('/6/accounts/tokens', unknown)).status).toBe(400);
  });
});

describe('failed logins', () => {
  it('throttles a burst of wrong passwords for one login, not other accounts', async () => {
    const victim = await createAccount(appliance.app, admin, 'user', 'victim');
    const token = await issueToken(appliance.app, victim.api, { lists: ['view'] });
    const wrong = apiClient(appliance.app, basicAuth(victim.login, 'wrong-password-0'));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await wrong.get('/6/lists')).status);
    }
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses.slice(6)).toEqual([429, 429]);
    const refused = await victim.api.get('/6/lists');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await bob.api.get('/6/lists')).status).toBe(200);
    expect((await token.api.get('/6/lists')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await victim.api.get('/6/lists')).status).toBe(200);
  });

  it('throttles one client address over a real socket', async () => {
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: appliance.app.fetch });
    try {
      const url = `http://127.0.0.1:${server.port}/6/lists`;
      const get = (headers: Record<string, string>) => fetch(url, { headers });
      for (let i = 0; i < 21; i++) {
        expect((await get(basicAuth(`guess${i}@lunette.test`, 'wrong-password-0'))).status).toBe(
          401,
        );
      }
      expect((await get(bob.auth)).status).toBe(429);
      expect((await appliance.app.request('/6/lists', { headers: bob.auth })).status).toBe(200);
    } finally {
      await server.stop(true);
    }
  });
});

describe('request limits', () => {
  it('refuses deep JSON nesting and JSON bodies over the limit', async () => {
    const deep = `{"user_data":"x","n":${'['.repeat(40)}${']'.repeat(40)}}`;
    const nested = await alice.api.raw('/6/lists', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: deep,
    });
    expect(nested.status).toBe(400);
    const big = await alice.api.postJson('/6/lists', { user_data: 'x', pad: 'y'.repeat(5000) });
    expect(big.status).toBe(413);
  });
});

describe('deleting an account', () => {
  it('removes its rows, sample files and matchable faces, and its credentials', async () => {
    const gone = await createAccount(appliance.app, admin, 'user', 'gone');
    const photo = await readFile(lfwImage('Tony_Blair', 18));
    const sampleId = (await gone.api.postBytes('/6/detector', photo)).body.images[0].detections
      .samples[0].sample_id;
    const attribute = (await gone.api.postJson('/6/extractor', { samples: [sampleId] })).body[0];
    const listId = (await gone.api.postJson('/6/lists', {})).body.list_id;
    const face = await gone.api.postJson('/6/faces', {
      attribute_id: attribute.attribute_id,
      lists: [listId],
    });
    const sampleFile = path.join(
      appliance.dataDir,
      'samples',
      sampleId.slice(0, 2),
      `${sampleId}.jpg`,
    );
    expect(existsSync(sampleFile)).toBe(true);

    expect((await admin.delete(`/6/accounts/${gone.accountId}`)).status).toBe(204);

    expect(existsSync(sampleFile)).toBe(false);
    expect((await admin.get(`/6/faces/${face.body.face_id}`)).status).toBe(404);
    expect((await admin.get(`/6/lists/${listId}`)).status).toBe(404);
    expect((await gone.api.get('/6/lists')).status).toBe(401);
    const match = await admin.postJson('/6/matcher/faces', {
      references: [{ type: 'face', id: face.body.face_id }],
      candidates: [{ filters: { origin: 'faces', list_id: listId } }],
    });
    expect(match.status).toBe(404);
  });
});
