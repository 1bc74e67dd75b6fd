/**
 * Quality-gated enrolment through the API: a list's enrolment policy refuses faces whose
 * samples fail it (422, naming each failed check with its value) and admits the rest.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { LIVENESS_DIR } from '../helpers/paths.ts';
import { readLfw } from '../unit/vision/vision-fixtures.ts';

const ALL_ESTIMATES = 'estimate_quality=1&estimate_head_pose=1&estimate_liveness=1';
const POLICY = { min_quality: 0.4, max_yaw: 25, max_pitch: 25, min_eye_distance: 30 };

let appliance: TestAppliance;
let api: ApiClient;
let gated: string;
let open: string;

async function attributeFrom(bytes: Uint8Array, query = ALL_ESTIMATES): Promise<string> {
  const detected = await api.postBytes(`/6/detector?${query}`, bytes);
  expect(detected.status).toBe(201);
  const sampleId = detected.body.images[0].detections.samples[0].sample_id;
  const extracted = await api.postJson('/6/extractor', { samples: [sampleId] });
  expect(extracted.status).toBe(201);
  return extracted.body[0].attribute_id;
}

async function enrol(attributeId: string, lists: string[]) {
  return api.postJson('/6/faces', { attribute_id: attributeId, lists });
}

beforeAll(async () => {
  appliance = await startTestAppliance();
  api = apiClient(appliance.app, appliance.adminAuth);
  gated = (await api.postJson('/6/lists', { user_data: 'gated' })).body.list_id;
  open = (await api.postJson('/6/lists', { user_data: 'open' })).body.list_id;
  const put = await api.raw(`/6/lists/${gated}/enrolment_policy`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(POLICY),
  });
  expect(put.status).toBe(204);
});

afterAll(async () => {
  await appliance?.dispose();
});

describe('enrolment policy', () => {
  it('is read back as set', async () => {
    const res = await api.get(`/6/lists/${gated}/enrolment_policy`);
    expect(res.body.enrolment_policy).toEqual(POLICY);
    expect((await api.get(`/6/lists/${open}/enrolment_policy`)).body.enrolment_policy).toEqual({});
  });

  it('admits a sharp, frontal, large face', async () => {
    const res = await enrol(await attributeFrom(await readLfw('George_W_Bush', 7)), [gated]);
    expect(res.status).toBe(201);
  });

  it('refuses a tiny face with 422, naming min_eye_distance and min_quality with values', async () => {
    const tiny = await sharp(await readLfw('George_W_Bush', 7))
      .resize(90)
      .toBuffer();
    const attribute = await attributeFrom(tiny);
    const res = await enrol(attribute, [gated]);
    expect(res.status).toBe(422);
    expect(res.body.error_code).toBe(14);
    const [failed] = res.body.failed_checks;
    expect(failed.list_id).toBe(gated);
    const byCheck = Object.fromEntries(failed.checks.map((c: { check: string }) => [c.check, c]));
    expect(byCheck.min_eye_distance.value).toBeLessThan(20);
    expect(byCheck.min_eye_distance.limit).toBe(30);
    expect(byCheck.min_quality.value).toBeLessThan(0.4);
    expect(res.body.detail).toContain('min_eye_distance');
    expect((await enrol(attribute, [open])).status).toBe(201);
  });

  it('refuses a face whose samples were detected without the estimates it needs', async () => {
    const attribute = await attributeFrom(await readLfw('George_W_Bush', 7), '');
    const res = await enrol(attribute, [gated]);
    expect(res.status).toBe(422);
    const checks = res.body.failed_checks[0].checks;
    expect(checks.map((c: { check: string }) => c.check)).toEqual([
      'min_quality',
      'max_yaw',
      'max_pitch',
    ]);
    expect(checks[0]).toMatchObject({
      value: null,
      detail: expect.stringContaining('estimate_quality=1'),
    });
  });

  it('refuses a spoof when liveness is required', async () => {
    const list = (await api.postJson('/6/lists', {})).body.list_id;
    await api.raw(`/6/lists/${list}/enrolment_policy`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ liveness_required: true }),
    });
    const spoof = await readFile(path.join(LIVENESS_DIR, 'image_F2.jpg'));
    const real = await readFile(path.join(LIVENESS_DIR, 'image_T1.jpg'));
    const refused = await enrol(await attributeFrom(spoof), [list]);
    expect(refused.status).toBe(422);
    expect(refused.body.failed_checks[0].checks).toEqual([
      { check: 'liveness_required', value: 'spoof', limit: true },
    ]);
    expect((await enrol(await attributeFrom(real), [list])).status).toBe(201);
  });

  it('lets the tiny face in once the policy is removed', async () => {
    const tiny = await sharp(await readLfw('George_W_Bush', 7))
      .resize(90)
      .toBuffer();
    const attribute = await attributeFrom(tiny);
    expect((await api.delete(`/6/lists/${gated}/enrolment_policy`)).status).toBe(204);
    expect((await enrol(attribute, [gated])).status).toBe(201);
    expect((await api.delete(`/6/lists/${gated}/enrolment_policy`)).status).toBe(404);
  });

  it('refuses malformed policies and unknown lists', async () => {
    const bad = await api.raw(`/6/lists/${open}/enrolment_policy`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ max_roll: 3 }),
    });
    expect(bad.status).toBe(400);
    const missing = await api.get(`/6/lists/${crypto.randomUUID()}/enrolment_policy`);
    expect(missing.status).toBe(404);
  });
});
