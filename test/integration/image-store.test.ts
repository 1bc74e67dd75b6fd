/**
 * The image store through the API: origin images and objects created, read, described and
 * deleted, with TTL and its header, JPEG re-encoding by setting, and account scoping.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type TestAccount } from '../helpers/accounts.ts';
import { type ApiClient, apiClient } from '../helpers/api-client.ts';
import { startTestAppliance, type TestAppliance } from '../helpers/appliance.ts';
import { readLfw } from '../unit/vision/vision-fixtures.ts';

let appliance: TestAppliance;
let jpegBox: TestAppliance;
let api: ApiClient;
let user: TestAccount;
let photo: Buffer;

beforeAll(async () => {
  appliance = await startTestAppliance();
  jpegBox = await startTestAppliance({ LUNETTE_IMAGE_STORE_FORMAT: 'jpeg' });
  api = apiClient(appliance.app, appliance.adminAuth);
  user = await createAccount(appliance.app, api, 'user', 'store-user');
  photo = await readLfw('George_W_Bush', 7);
});

afterAll(async () => {
  await appliance?.dispose();
  await jpegBox?.dispose();
});

describe('origin images', () => {
  it('stores an image as uploaded and serves it back with its type', async () => {
    const png = await sharp(photo).png().toBuffer();
    const created = await api.postBytes('/6/images', png, 'image/png');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      content_type: 'image/png',
      size: png.length,
      expire_time: null,
    });
    expect(created.headers.get('Luna-Expire-Time')).toBeNull();

    const res = await api.raw(created.body.url, { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);

    const head = await api.raw(created.body.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Length')).toBe(String(png.length));
  });

  it('re-encodes to JPEG when the box is set so', async () => {
    const admin = apiClient(jpegBox.app, jpegBox.adminAuth);
    const created = await admin.postBytes(
      '/6/images',
      await sharp(photo).png().toBuffer(),
      'image/png',
    );
    expect(created.body.content_type).toBe('image/jpeg');
    const res = await admin.raw(created.body.url, { method: 'GET' });
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(meta.format).toBe('jpeg');
  });

  it('refuses a body that is not an image', async () => {
    const res = await api.postBytes('/6/images', new TextEncoder().encode('hello'), 'image/jpeg');
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe(10);
  });

  it('returns the expiry time in a header with ttl, and the file is gone after it', async () => {
    const created = await api.postBytes('/6/images?ttl=1', photo);
    const expiry = created.headers.get('Luna-Expire-Time');
    expect(Date.parse(expiry!)).toBeGreaterThan(Date.now());
    expect(created.body.expire_time).toBe(expiry);
    const head = await api.raw(created.body.url, { method: 'HEAD' });
    expect(head.headers.get('Luna-Expire-Time')).toBe(expiry);
    await Bun.sleep(1100);
    expect((await api.get(created.body.url)).status).toBe(404);
  });

  it('deletes an image once', async () => {
    const created = await api.postBytes('/6/images', photo);
    expect((await api.delete(created.body.url)).status).toBe(204);
    expect((await api.get(created.body.url)).status).toBe(404);
    expect((await api.delete(created.body.url)).status).toBe(404);
  });
});

describe('objects', () => {
  it('stores any content type and serves it back', async () => {
    const body = JSON.stringify({ report: [1, 2, 3] });
    const created = await api.postBytes(
      '/6/objects',
      new TextEncoder().encode(body),
      'application/json',
    );
    expect(created.status).toBe(201);
    expect(created.body.object_id).toEqual(expect.any(String));
    const res = await api.raw(created.body.url, { method: 'GET' });
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(await res.text()).toBe(body);
  });

  it('serves uploaded HTML as an inert download, never as a page', async () => {
    const html = new TextEncoder().encode('<script>alert(1)</script>');
    const created = await api.postBytes('/6/objects', html, 'text/html');
    const res = await api.raw(created.body.url, { method: 'GET' });
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Content-Disposition')).toBe('attachment');
    expect(res.headers.get('Content-Security-Policy')).toContain('sandbox');
  });

  it('refuses an empty object', async () => {
    const res = await api.postBytes('/6/objects', new Uint8Array(0), 'text/plain');
    expect(res.status).toBe(400);
  });
});

describe('account scoping', () => {
  it("keeps a user's files from every other account, admins included", async () => {
    const created = await user.api.postBytes(
      '/6/objects',
      new TextEncoder().encode('mine'),
      'text/plain',
    );
    const other = await createAccount(appliance.app, api, 'user', 'store-other');
    expect((await other.api.get(created.body.url)).status).toBe(404);
    expect((await other.api.delete(created.body.url)).status).toBe(404);
    expect((await api.get(created.body.url)).status).toBe(404);
    expect((await user.api.get(created.body.url)).status).toBe(200);
    expect((await user.api.delete(created.body.url)).status).toBe(204);
  });
});
