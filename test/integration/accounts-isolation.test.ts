/**
 * Tenancy with real models on LFW: two accounts enrol the same person; each lists and matches
 * only its own face, while an advanced_user sees and matches both but changes neither.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type TestAccount } from '../helpers/accounts.ts';
import { type ApiClient, type ApiResponse, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { lfwImage } from '../helpers/paths.ts';

const PERSON = 'Colin_Powell';

let appliance: TestAppliance;
let alice: TestAccount;
let bob: TestAccount;
let auditor: TestAccount;
const enrolled = new Map<TestAccount, { faceId: string; listId: string }>();
let probe: Buffer;

async function attributeOf(api: ApiClient, photo: Buffer): Promise<string> {
  const detected = await api.postBytes('/6/detector', photo);
  expect(detected.status).toBe(201);
  const sampleId = detected.body.images[0].detections.samples[0].sample_id;
  const extracted = await api.postJson('/6/extractor', { samples: [sampleId] });
  expect(extracted.status).toBe(201);
  return extracted.body[0].attribute_id;
}

async function enrol(account: TestAccount): Promise<void> {
  const attributeId = await attributeOf(account.api, await readFile(lfwImage(PERSON, 40)));
  const listId = (await account.api.postJson('/6/lists', {})).body.list_id;
  const face = await account.api.postJson('/6/faces', {
    attribute_id: attributeId,
    external_id: `${PERSON}-of-${account.login}`,
    lists: [listId],
  });
  expect(face.status).toBe(201);
  enrolled.set(account, { faceId: face.body.face_id, listId });
}

async function matchIn(account: TestAccount, listIds: string[]) {
  const attributeId = await attributeOf(account.api, probe);
  return account.api.postJson('/6/matcher/faces', {
    references: [{ type: 'attribute', id: attributeId }],
    candidates: listIds.map((listId) => ({
      filters: { origin: 'faces', list_id: listId },
      threshold: 0.5,
    })),
  });
}

function matchedIds(res: ApiResponse): string[] {
  return res.body[0].matches.flatMap((m: { result: { face: { face_id: string } }[] }) =>
    m.result.map((r) => r.face.face_id),
  );
}

beforeAll(async () => {
  appliance = await startTestAppliance();
  const admin = apiClient(appliance.app, appliance.adminAuth);
  alice = await createAccount(appliance.app, admin, 'user', 'alice');
  bob = await createAccount(appliance.app, admin, 'user', 'bob');
  auditor = await createAccount(appliance.app, admin, 'advanced_user', 'auditor');
  await enrol(alice);
  await enrol(bob);
  probe = await readFile(lfwImage(PERSON, 49));
});

afterAll(async () => {
  await appliance?.dispose();
});

describe('two accounts, one person', () => {
  it('matches each account only against its own face', async () => {
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const own = await matchIn(me, [enrolled.get(me)!.listId]);
      expect(own.status).toBe(201);
      expect(matchedIds(own)).toEqual([enrolled.get(me)!.faceId]);
      expect((await matchIn(me, [enrolled.get(other)!.listId])).status).toBe(404);
    }
  });

  it("skips another account's face among explicit face ids, as a missing one", async () => {
    const attributeId = await attributeOf(alice.api, probe);
    const res = await alice.api.postJson('/6/matcher/faces', {
      references: [{ type: 'attribute', id: attributeId }],
      candidates: [
        {
          filters: {
            origin: 'faces',
            face_ids: [enrolled.get(alice)!.faceId, enrolled.get(bob)!.faceId],
          },
        },
      ],
    });
    expect(matchedIds(res)).toEqual([enrolled.get(alice)!.faceId]);
  });

  it('lists only the own face', async () => {
    for (const account of [alice, bob]) {
      const res = await account.api.get('/6/faces');
      expect(res.body.faces.map((f: { face_id: string }) => f.face_id)).toEqual([
        enrolled.get(account)!.faceId,
      ]);
    }
  });

  it('lets an advanced_user list and match both faces', async () => {
    const listed = await auditor.api.get('/6/faces?page_size=1000');
    const ids = listed.body.faces.map((f: { face_id: string }) => f.face_id);
    expect(ids).toEqual(
      expect.arrayContaining([enrolled.get(alice)!.faceId, enrolled.get(bob)!.faceId]),
    );
    const res = await matchIn(auditor, [enrolled.get(alice)!.listId, enrolled.get(bob)!.listId]);
    expect(res.status).toBe(201);
    expect(matchedIds(res).sort()).toEqual(
      [enrolled.get(alice)!.faceId, enrolled.get(bob)!.faceId].sort(),
    );
    const byFace = await auditor.api.postJson('/6/matcher/faces', {
      references: [{ type: 'face', id: enrolled.get(alice)!.faceId }],
      candidates: [{ filters: { origin: 'faces', list_id: enrolled.get(bob)!.listId } }],
    });
    expect(matchedIds(byFace)).toEqual([enrolled.get(bob)!.faceId]);
  });

  it("does not let an advanced_user change another account's faces or lists", async () => {
    const { faceId, listId } = enrolled.get(alice)!;
    expect((await auditor.api.patchJson(`/6/faces/${faceId}`, { user_data: 'x' })).status).toBe(
      404,
    );
    expect((await auditor.api.delete(`/6/faces/${faceId}`)).status).toBe(404);
    expect((await auditor.api.delete(`/6/lists/${listId}`)).status).toBe(404);
    const ownList = (await auditor.api.postJson('/6/lists', {})).body.list_id;
    const link = await auditor.api.patchJson('/6/linker', {
      action: 'attach',
      list_id: ownList,
      face_ids: [faceId],
    });
    expect(link.status).toBe(404);
    const enrolFromOther = await auditor.api.postJson('/6/faces', { lists: [listId] });
    expect(enrolFromOther.status).toBe(404);
    expect((await alice.api.get(`/6/faces/${faceId}`)).body.user_data).toBe('');
  });
});
