/** Deleting an account removes the files its rows named: samples, stored images and objects. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type TestAccount } from '../helpers/accounts.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { lfwImage } from '../helpers/paths.ts';

let appliance: TestAppliance;
let admin: ApiClient;
let bob: TestAccount;

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(appliance.dataDir, folder), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

beforeAll(async () => {
  appliance = await startTestAppliance();
  admin = apiClient(appliance.app, appliance.adminAuth);
  bob = await createAccount(appliance.app, admin, 'user', 'bob');
});

afterAll(async () => {
  await appliance?.dispose();
});

describe('account erasure', () => {
  it('removes the files of every row the account owned, and nobody else’s', async () => {
    const photo = await readFile(lfwImage('Tony_Blair', 18));
    const mine = (await admin.postBytes('/6/images', photo)).body.image_id;
    expect((await bob.api.postBytes('/6/detector', photo)).status).toBe(201);
    expect((await bob.api.postBytes('/6/images', photo)).status).toBe(201);
    const note = new TextEncoder().encode('bob notes');
    expect((await bob.api.postBytes('/6/objects', note, 'text/plain')).status).toBe(201);
    expect(await filesUnder('images')).toHaveLength(2);
    expect(await filesUnder('objects')).toHaveLength(1);
    expect(await filesUnder('samples')).toHaveLength(1);

    expect((await admin.delete(`/6/accounts/${bob.accountId}`)).status).toBe(204);

    expect(await filesUnder('images')).toEqual([`${mine}.img`]);
    expect(await filesUnder('objects')).toEqual([]);
    expect(await filesUnder('samples')).toEqual([]);
  });
});
