/** Every wrong input gets its documented error, and nothing already stored changes. */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { lfwImage } from '../helpers/paths.ts';

const MAX_BODY = 2 * 1024 * 1024;
const MISSING_ID = '3f0c4a51-9a7e-4c1e-8f43-2b6d0c9e7a10';

let appliance: TestAppliance;
let api: ApiClient;
let photo: Buffer;
let listId: string;

beforeAll(async () => {
  appliance = await startTestAppliance({ LUNETTE_MAX_BODY_BYTES: String(MAX_BODY) });
  api = apiClient(appliance.app, appliance.adminAuth);
  photo = await readFile(lfwImage('Tony_Blair', 18));
  listId = (await api.postJson('/6/lists', {})).body.list_id;
});

afterAll(async () => {
  await appliance?.dispose();
});

function expectError(res: { status: number; body: any }, status: number, code: number): void {
  expect(res.status).toBe(status);
  expect(res.body.error_code).toBe(code);
  expect(typeof res.body.desc).toBe('string');
  expect(typeof res.body.detail).toBe('string');
  expect(typeof res.body.link).toBe('string');
}

describe('image errors', () => {
  it('answers 400 image_decode_failed for garbage and truncated images', async () => {
    expectError(await api.postBytes('/6/detector', new Uint8Array(500).fill(7)), 400, 10);
    const truncated = photo.subarray(0, Math.floor(photo.length / 2));
    expectError(await api.postBytes('/6/detector', truncated), 400, 10);
  });

  it('answers 415 for a body that is not an image upload and for GIF', async () => {
    expectError(await api.postBytes('/6/detector', photo, 'text/plain'), 415, 7);
    const gif = await sharp(photo).gif().toBuffer();
    expectError(await api.postBytes('/6/detector', gif, 'image/gif'), 415, 12);
  });

  it('answers 413 for a body over the limit and for an image over the pixel limit', async () => {
    expectError(await api.postBytes('/6/detector', new Uint8Array(MAX_BODY + 10)), 413, 8);
    const huge = await sharp({
      create: { width: 8000, height: 7000, channels: 3, background: '#000' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expectError(await api.postBytes('/6/detector', huge, 'image/png'), 413, 11);
  });

  it('answers 400 for an empty body and for broken base64 JSON', async () => {
    expectError(await api.postBytes('/6/detector', new Uint8Array(0)), 400, 2);
    expectError(await api.postJson('/6/detector', { images: [{ image: '%%%' }] }), 400, 3);
  });
});

describe('schema and id errors', () => {
  it('names the offending field', async () => {
    const res = await api.postJson('/6/extractor', { samples: 'not-a-list' });
    expectError(res, 400, 3);
    expect(res.body.detail).toContain('body.samples');
    const query = await api.postBytes('/6/detector?score_threshold=2', photo);
    expectError(query, 400, 3);
    expect(query.body.detail).toContain('query.score_threshold');
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    const bad = await api.get('/6/samples/faces/not-an-id');
    expectError(bad, 400, 3);
    expect(bad.body.detail).toContain('params.sample_id');
    expectError(await api.get(`/6/samples/faces/${MISSING_ID}`), 404, 4);
    expectError(await api.get(`/6/faces/${MISSING_ID}`), 404, 4);
    expectError(await api.get(`/6/lists/${MISSING_ID}`), 404, 4);
    expectError(await api.get(`/6/attributes/${MISSING_ID}`), 404, 4);
    expectError(await api.postJson('/6/extractor', { samples: [MISSING_ID] }), 404, 4);
  });

  it('answers 400 for invalid JSON, 415 for JSON routes sent as text, 404 for no route', async () => {
    const broken = await api.raw('/6/lists', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"user_data":',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error_code: number }).error_code).toBe(2);
    const text = await api.raw('/6/lists', { method: 'POST', body: 'hello' });
    expect(text.status).toBe(415);
    expectError(await api.get('/6/nothing-here'), 404, 5);
  });

  it('refuses a matcher request with both list_id and face_ids', async () => {
    const res = await api.postJson('/6/matcher/faces', {
      references: [{ type: 'face', id: MISSING_ID }],
      candidates: [{ filters: { origin: 'faces', list_id: listId, face_ids: [MISSING_ID] } }],
    });
    expectError(res, 400, 3);
  });
});

describe('nothing half-written', () => {
  it('creates no face when one of its lists is unknown', async () => {
    const sample = (await api.postBytes('/6/detector', photo)).body.images[0].detections.samples[0];
    const attribute = (await api.postJson('/6/extractor', { samples: [sample.sample_id] })).body[0];
    const before = (await api.get('/6/faces')).body.count;
    const res = await api.postJson('/6/faces', {
      attribute_id: attribute.attribute_id,
      lists: [listId, MISSING_ID],
    });
    expectError(res, 404, 4);
    expect((await api.get('/6/faces')).body.count).toBe(before);
    expect((await api.get(`/6/lists/${listId}`)).body.face_count).toBe(0);
  });

  it('makes an expired attribute unreadable and unusable', async () => {
    const sample = (await api.postBytes('/6/detector', photo)).body.images[0].detections.samples[0];
    const attribute = (await api.postJson('/6/extractor?ttl=1', { samples: [sample.sample_id] }))
      .body[0];
    await Bun.sleep(1100);
    expectError(await api.get(`/6/attributes/${attribute.attribute_id}`), 404, 4);
    expectError(await api.postJson('/6/faces', { attribute_id: attribute.attribute_id }), 404, 4);
  });

  it('keeps the faces of a deleted list unless with_faces=1', async () => {
    const sample = (await api.postBytes('/6/detector', photo)).body.images[0].detections.samples[0];
    const attribute = (await api.postJson('/6/extractor', { samples: [sample.sample_id] })).body[0];
    const keep = (await api.postJson('/6/lists', {})).body.list_id;
    const drop = (await api.postJson('/6/lists', {})).body.list_id;
    const a = (
      await api.postJson('/6/faces', { attribute_id: attribute.attribute_id, lists: [keep] })
    ).body.face_id;
    const b = (
      await api.postJson('/6/faces', { attribute_id: attribute.attribute_id, lists: [drop] })
    ).body.face_id;
    expect((await api.delete(`/6/lists/${keep}`)).status).toBe(204);
    expect((await api.get(`/6/faces/${a}`)).status).toBe(200);
    expect((await api.delete(`/6/lists/${drop}?with_faces=1`)).status).toBe(204);
    expect((await api.get(`/6/faces/${b}`)).status).toBe(404);
  });

  it('echoes a well-formed Luna-Request-Id and makes one otherwise', async () => {
    const id = `${Math.floor(Date.now() / 1000)},6f1c2d3e-4b5a-4c6d-8e7f-a0b1c2d3e4f5`;
    const echoed = await api.raw('/6/version', { headers: { 'Luna-Request-Id': id } });
    expect(echoed.headers.get('Luna-Request-Id')).toBe(id);
    const made = await api.raw('/6/version', {});
    expect(made.headers.get('Luna-Request-Id')).toMatch(/^\d{10},[0-9a-f-]{36}$/);
  });
});

describe('values that cannot be stored or compared', () => {
  it('refuses NUL characters in user_data and external_id, naming the field', async () => {
    const list = await api.postJson('/6/lists', { user_data: 'a\u0000b' });
    expectError(list, 400, 3);
    expect(list.body.detail).toContain('body.user_data');
    expectError(await api.postJson('/6/faces', { external_id: 'x\u0000' }), 400, 3);
  });

  it('refuses raw descriptors that are not finite or all zero', async () => {
    for (const fill of [Number.NaN, Number.POSITIVE_INFINITY, 0]) {
      const descriptor = Buffer.from(new Float32Array(512).fill(fill).buffer).toString('base64');
      const res = await api.postJson('/6/matcher/raw', {
        references: [{ id: 'probe', descriptor }],
        candidates: [{ filters: { origin: 'faces', list_id: listId } }],
      });
      expectError(res, 400, 3);
      expect(res.body.detail).toContain('body.references.0.descriptor');
    }
  });
});
