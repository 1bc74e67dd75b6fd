/** The main job through the HTTP app with real models on LFW photos: detect, extract, enrol, match. */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { lfwImage } from '../helpers/paths.ts';

const ENROLLED: [string, number, number][] = [
  ['George_W_Bush', 7, 16],
  ['Colin_Powell', 40, 49],
  ['Serena_Williams', 1, 3],
  ['Vladimir_Putin', 16, 21],
  ['Laura_Bush', 1, 21],
];

let appliance: TestAppliance;
let api: ApiClient;
let listId: string;
const faceOf = new Map<string, string>();

async function detectOne(bytes: Uint8Array, type = 'image/jpeg'): Promise<string> {
  const res = await api.postBytes('/6/detector', bytes, type);
  expect(res.status).toBe(201);
  const samples = res.body.images[0].detections.samples;
  expect(samples.length).toBeGreaterThanOrEqual(1);
  return samples[0].sample_id;
}

async function attributeOf(sampleId: string): Promise<string> {
  const res = await api.postJson('/6/extractor?extract_basic_attributes=1', {
    samples: [sampleId],
  });
  expect(res.status).toBe(201);
  return res.body[0].attribute_id;
}

async function topMatch(reference: { type: string; id: string }) {
  const res = await api.postJson('/6/matcher/faces', {
    references: [reference],
    candidates: [{ filters: { origin: 'faces', list_id: listId }, limit: 3 }],
  });
  expect(res.status).toBe(201);
  return res.body[0].matches[0].result[0];
}

beforeAll(async () => {
  appliance = await startTestAppliance();
  api = apiClient(appliance.app, appliance.adminAuth);
  const list = await api.postJson('/6/lists', { user_data: 'staff' });
  expect(list.status).toBe(201);
  listId = list.body.list_id;
  for (const [name, enrolNo] of ENROLLED) {
    const sample = await detectOne(await readFile(lfwImage(name, enrolNo)));
    const attribute = await attributeOf(sample);
    const face = await api.postJson('/6/faces', {
      attribute_id: attribute,
      external_id: name,
      user_data: name,
      lists: [listId],
    });
    expect(face.status).toBe(201);
    faceOf.set(name, face.body.face_id);
  }
});

afterAll(async () => {
  await appliance?.dispose();
});

describe('enrol and match', () => {
  it('puts the enrolled person on top for another photo of them', async () => {
    for (const [name, , probeNo] of ENROLLED) {
      const sample = await detectOne(await readFile(lfwImage(name, probeNo)));
      const top = await topMatch({ type: 'attribute', id: await attributeOf(sample) });
      expect(top.face.external_id).toBe(name);
      expect(top.similarity).toBeGreaterThan(0.5);
      expect(top.similarity).toBeLessThanOrEqual(1);
    }
  });

  it('scores people who are not enrolled below the default threshold', async () => {
    for (const [name, n] of [
      ['Tony_Blair', 18],
      ['Donald_Rumsfeld', 39],
      ['Gerhard_Schroeder', 5],
    ] as const) {
      const sample = await detectOne(await readFile(lfwImage(name, n)));
      const top = await topMatch({ type: 'sample', id: sample });
      expect(top.similarity).toBeLessThan(0.5);
      expect(top.similarity).toBeGreaterThanOrEqual(0);
    }
  });

  it('matches a face reference against explicit face ids, itself first', async () => {
    const bush = faceOf.get('George_W_Bush')!;
    const res = await api.postJson('/6/matcher/faces', {
      references: [{ type: 'face', id: bush }],
      candidates: [{ filters: { origin: 'faces', face_ids: [...faceOf.values()] }, limit: 5 }],
    });
    expect(res.status).toBe(201);
    const result = res.body[0].matches[0].result;
    expect(result).toHaveLength(5);
    expect(result[0].face.face_id).toBe(bush);
    expect(result[0].similarity).toBeGreaterThan(0.99);
  });

  it('finds an EXIF-rotated photo and matches it to the same person', async () => {
    const rotated = await sharp(await readFile(lfwImage('Colin_Powell', 49)))
      .rotate(270)
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const top = await topMatch({ type: 'sample', id: await detectOne(rotated) });
    expect(top.face.external_id).toBe('Colin_Powell');
  });

  it('accepts PNG and greyscale uploads', async () => {
    const source = await readFile(lfwImage('Vladimir_Putin', 21));
    const png = await sharp(source).png().toBuffer();
    const grey = await sharp(source).greyscale().jpeg().toBuffer();
    expect(
      (await topMatch({ type: 'sample', id: await detectOne(png, 'image/png') })).face.external_id,
    ).toBe('Vladimir_Putin');
    expect((await topMatch({ type: 'sample', id: await detectOne(grey) })).face.external_id).toBe(
      'Vladimir_Putin',
    );
  });

  it('stores every face of a multi-face photo as its own sample', async () => {
    const left = await readFile(lfwImage('Serena_Williams', 3));
    const right = await readFile(lfwImage('Laura_Bush', 21));
    const both = await sharp({
      create: { width: 500, height: 250, channels: 3, background: '#808080' },
    })
      .composite([
        { input: left, left: 0, top: 0 },
        { input: right, left: 250, top: 0 },
      ])
      .jpeg()
      .toBuffer();
    const res = await api.postBytes('/6/detector', both);
    expect(res.status).toBe(201);
    const samples = res.body.images[0].detections.samples;
    expect(samples).toHaveLength(2);
    const names = [];
    for (const s of samples) {
      names.push((await topMatch({ type: 'sample', id: s.sample_id })).face.external_id);
    }
    expect(names.sort()).toEqual(['Laura_Bush', 'Serena_Williams']);

    const refused = await api.postBytes('/6/detector?multiface_policy=0', both);
    expect(refused.status).toBe(400);
    expect(refused.body.error_code).toBe(13);
    const largest = await api.postBytes('/6/detector?multiface_policy=2', both);
    expect(largest.body.images[0].detections.samples).toHaveLength(1);
  });

  it('accepts several images in one multipart request and in base64 JSON', async () => {
    const a = await readFile(lfwImage('George_W_Bush', 16));
    const b = await readFile(lfwImage('Colin_Powell', 40));
    const form = new FormData();
    form.append('a', new Blob([a], { type: 'image/jpeg' }), 'a.jpg');
    form.append('b', new Blob([b], { type: 'image/jpeg' }), 'b.jpg');
    const multipart = await api.postForm('/6/detector', form);
    expect(multipart.status).toBe(201);
    expect(multipart.body.images.map((i: { filename: string }) => i.filename)).toEqual([
      'a.jpg',
      'b.jpg',
    ]);
    const json = await api.postJson('/6/detector', {
      images: [{ image: a.toString('base64'), filename: 'bush.jpg' }],
    });
    expect(json.status).toBe(201);
    expect(json.body.images[0].detections.samples).toHaveLength(1);
  });

  it('returns age and gender with the attribute, and the warped sample as JPEG', async () => {
    const sample = await detectOne(await readFile(lfwImage('George_W_Bush', 65)));
    const res = await api.postJson('/6/extractor?extract_basic_attributes=1', {
      samples: [sample],
    });
    const basic = res.body[0].attributes.basic_attributes;
    expect(basic.gender).toBeGreaterThan(0.5);
    expect(basic.age).toBeGreaterThan(30);
    expect(basic.age).toBeLessThan(80);
    const jpeg = await api.raw(`/6/samples/faces/${sample}`, {});
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await jpeg.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([112, 112]);
  });

  it('refuses to delete a sample a face holds, and deletes it once the face is gone', async () => {
    const sample = await detectOne(await readFile(lfwImage('Colin_Powell', 71)));
    const face = await api.postJson('/6/faces', { attribute_id: await attributeOf(sample) });
    expect(face.status).toBe(201);
    const refused = await api.delete(`/6/samples/faces/${sample}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error_code: 31, face_ids: [face.body.face_id] });
    expect((await api.raw(`/6/samples/faces/${sample}`, {})).status).toBe(200);

    expect((await api.delete(`/6/faces/${face.body.face_id}`)).status).toBe(204);
    expect((await api.delete(`/6/samples/faces/${sample}`)).status).toBe(204);
    expect((await api.raw(`/6/samples/faces/${sample}`, {})).status).toBe(404);
    expect((await api.delete(`/6/samples/faces/${sample}`)).status).toBe(404);
  });

  it('refuses a face from an attribute whose sample was deleted, storing nothing', async () => {
    const sample = await detectOne(await readFile(lfwImage('Colin_Powell', 71)));
    const attribute = await attributeOf(sample);
    expect((await api.delete(`/6/samples/faces/${sample}`)).status).toBe(204);
    const before = (await api.get('/6/faces?page_size=1')).body.count;
    const refused = await api.postJson('/6/faces', { attribute_id: attribute, lists: [listId] });
    expect(refused.status).toBe(404);
    expect(refused.body.detail).toContain(`sample ${sample}`);
    expect((await api.get('/6/faces?page_size=1')).body.count).toBe(before);
    expect((await api.get(`/6/lists/${listId}`)).body.face_count).toBe(ENROLLED.length);
  });

  it('no face is an empty list, not an error', async () => {
    const blank = await sharp({
      create: { width: 320, height: 240, channels: 3, background: '#3060a0' },
    })
      .jpeg()
      .toBuffer();
    const res = await api.postBytes('/6/detector', blank);
    expect(res.status).toBe(201);
    expect(res.body.images[0].detections.samples).toEqual([]);
  });
});
