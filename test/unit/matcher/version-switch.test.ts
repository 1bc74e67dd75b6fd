import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeDescriptor } from '../../../src/descriptors/index.ts';
import { createLogger, setLogLevel } from '../../../src/logger/index.ts';
import {
  createVersionRepository,
  type DescriptorExtractor,
  Gallery,
  servedVersionAtStart,
  VersionSwitch,
} from '../../../src/matcher/index.ts';
import { randomUnit, seededGauss } from '../../helpers/synthetic-descriptors.ts';
import { openTempDb, type TempDb } from '../../helpers/temp-db.ts';

const gauss = seededGauss(11);
const CAL_A = { centre: 0.3, slope: 20 };
const CAL_B = { centre: 0.4, slope: 30 };

let temp: TempDb;

async function addFace(faceId: string, vectors: Record<string, Float32Array>): Promise<void> {
  await temp.db.batch(
    [
      {
        sql: "INSERT INTO faces VALUES (?, 'acc', 1, '', NULL, NULL, '[]')",
        args: [faceId],
      },
      { sql: "INSERT INTO list_faces VALUES ('list-1', ?, 1)", args: [faceId] },
      ...Object.entries(vectors).map(([version, v]) => ({
        sql: 'INSERT INTO face_descriptors VALUES (?, ?, ?)',
        args: [faceId, version, encodeDescriptor(v)],
      })),
    ],
    'write',
  );
}

const extractor = (version: string, calibration = CAL_B): DescriptorExtractor => ({
  version,
  calibration,
  extract: async () => [],
});

const extractorsOf = (versions: string[]) =>
  new Map(versions.map((v) => [v, extractor(v, v === 'a' ? CAL_A : CAL_B)]));

async function stateRows(): Promise<Record<string, string>> {
  const rs = await temp.db.execute('SELECT descriptor_version, state FROM descriptor_versions');
  return Object.fromEntries(rs.rows.map((r) => [String(r.descriptor_version), String(r.state)]));
}

function switchOf(gallery: Gallery, loaded = ['a', 'b']) {
  return new VersionSwitch({
    db: temp.db,
    repository: createVersionRepository(temp.db),
    gallery,
    extractors: extractorsOf(loaded),
    sampleFiles: { read: async () => undefined, write: async () => {}, remove: async () => {} },
    decodeCrop: async () => {
      throw new Error('no crops in this test');
    },
    logger: createLogger({ module: 'test' }),
  });
}

beforeEach(async () => {
  setLogLevel('error');
  temp = await openTempDb();
  await temp.db.execute("INSERT INTO lists VALUES ('list-1', 'acc', 1, 1, '')");
});

afterEach(async () => {
  await temp.dispose();
});

describe('gallery generations', () => {
  it('links a version being loaded into the next generation only, then serves it', async () => {
    const gallery = new Gallery('a', { calibration: CAL_A });
    const [a1, b1, b2] = [randomUnit(gauss), randomUnit(gauss), randomUnit(gauss)];
    await addFace('face-1', { a: a1, b: b1 });
    await gallery.load(temp.db);
    await gallery.prepare(temp.db, 'b', CAL_B);
    expect(gallery.heldVersions).toEqual(['a', 'b']);
    gallery.link('list-1', 'face-2', b2, 'b');
    expect(gallery.sizeOf('list-1')).toBe(1);
    expect(gallery.search('list-1', a1, 1)[0]!.id).toBe('face-1');

    await gallery.promote();
    expect(gallery.descriptorVersion).toBe('b');
    expect(gallery.calibration).toBe(CAL_B);
    expect(gallery.sizeOf('list-1')).toBe(2);
    expect(gallery.search('list-1', b2, 1)[0]!.id).toBe('face-2');
    gallery.removeFace('face-2');
    expect(gallery.sizeOf('list-1')).toBe(1);
  });

  it('lets a pinned request finish on the generation it started with', async () => {
    const gallery = new Gallery('a', { calibration: CAL_A });
    await addFace('face-1', { a: randomUnit(gauss), b: randomUnit(gauss) });
    await gallery.load(temp.db);
    const seen: string[] = [];
    await gallery.pinned(async () => {
      seen.push(gallery.descriptorVersion);
      await gallery.prepare(temp.db, 'b', CAL_B);
      await gallery.promote();
      seen.push(gallery.descriptorVersion, gallery.servingVersion);
      expect(gallery.sizeOf('list-1')).toBe(1);
    });
    seen.push(gallery.descriptorVersion);
    expect(seen).toEqual(['a', 'a', 'b', 'b']);
  });
});

describe('version switch', () => {
  it('switches only once every face has the version, and persists it', async () => {
    const gallery = new Gallery('a', { calibration: CAL_A });
    await addFace('face-1', { a: randomUnit(gauss), b: randomUnit(gauss) });
    await addFace('face-2', { a: randomUnit(gauss) });
    await gallery.load(temp.db);
    const versions = switchOf(gallery);
    await versions.open();

    expect(await versions.switchIfCovered('a')).toMatchObject({ reason: 'serving' });
    expect(await versions.switchIfCovered('c')).toMatchObject({ reason: 'no_extractor' });
    expect(await versions.switchIfCovered('b')).toMatchObject({
      status: 'skipped',
      reason: 'not_covered',
      missing: 1,
    });
    expect(gallery.servingVersion).toBe('a');

    await temp.db.execute({
      sql: "INSERT INTO face_descriptors VALUES ('face-2', 'b', ?)",
      args: [encodeDescriptor(randomUnit(gauss))],
    });
    expect(await versions.switchIfCovered('b')).toMatchObject({ status: 'switched', loaded: 2 });
    expect(gallery.servingVersion).toBe('b');
    expect(versions.serving.calibration).toBe(CAL_B);
    const repository = createVersionRepository(temp.db);
    expect(await repository.serving()).toBe('b');
  });

  it('loads and swaps in its followers (event descriptors) with the gallery', async () => {
    const gallery = new Gallery('a', { calibration: CAL_A });
    await addFace('face-1', { a: randomUnit(gauss) });
    await gallery.load(temp.db);
    const versions = switchOf(gallery);
    const calls: string[] = [];
    versions.follow({
      prepare: async (version) => {
        calls.push(`prepare ${version} (serving ${gallery.servingVersion})`);
        return 0;
      },
      discard: () => calls.push('discard'),
      promote: () => calls.push(`promote (serving ${gallery.servingVersion})`),
    });
    expect(await versions.switchIfCovered('b')).toMatchObject({ reason: 'not_covered' });
    expect(calls).toEqual([]);
    await temp.db.execute({
      sql: "INSERT INTO face_descriptors VALUES ('face-1', 'b', ?)",
      args: [encodeDescriptor(randomUnit(gauss))],
    });
    expect(await versions.switchIfCovered('b')).toMatchObject({ status: 'switched' });
    expect(calls).toEqual(['prepare b (serving a)', 'promote (serving a)']);
    expect(gallery.servingVersion).toBe('b');
  });

  it('keeps versions being extracted across a restart and never marks the served one', async () => {
    const gallery = new Gallery('a', { calibration: CAL_A });
    const versions = switchOf(gallery);
    await versions.begin('a');
    await versions.begin('b');
    expect(await createVersionRepository(temp.db).extracting()).toEqual(['b']);
  });
});

describe('served version across upgrades and restarts', () => {
  const logger = createLogger({ module: 'test' });

  it('keeps exactly one serving row through a second upgrade after a fallback', async () => {
    const repository = createVersionRepository(temp.db);
    await addFace('face-1', { a: randomUnit(gauss), b: randomUnit(gauss), d: randomUnit(gauss) });
    // First upgrade a → b; then a start without b's recognizer falls back to a (every face has
    // it); the second upgrade a → d must retire b too.
    await repository.markServing('b', 'a');
    const fallback = await servedVersionAtStart(repository, extractorsOf(['a', 'd']), 'a', logger);
    expect(fallback).toEqual({ status: 'fallback', version: 'a', persisted: 'b' });
    const gallery = new Gallery('a', { calibration: CAL_A });
    await gallery.load(temp.db);
    const versions = switchOf(gallery, ['a', 'd']);
    await versions.open();
    expect(await versions.switchIfCovered('d')).toMatchObject({ status: 'switched' });

    expect(await stateRows()).toEqual({ a: 'retired', b: 'retired', d: 'serving' });
    expect(await repository.serving()).toBe('d');
    const restart = await servedVersionAtStart(repository, extractorsOf(['a', 'd']), 'a', logger);
    expect(restart).toEqual({ status: 'ok', version: 'd' });
  });

  it('retires every other serving row in the switch transaction', async () => {
    const repository = createVersionRepository(temp.db);
    await repository.markServing('b', 'a');
    // The in-memory previous version is `a` (a fallback), while `b` still has its row.
    await repository.markServing('d', 'a');
    expect(await stateRows()).toEqual({ a: 'retired', b: 'retired', d: 'serving' });
    await expect(
      temp.db.execute("INSERT INTO descriptor_versions VALUES ('e', 'serving', 1)"),
    ).rejects.toThrow(/UNIQUE/);
  });

  it('refuses to fall back when a face lacks the shipped version', async () => {
    const repository = createVersionRepository(temp.db);
    await addFace('face-1', { a: randomUnit(gauss), b: randomUnit(gauss) });
    await addFace('face-2', { b: randomUnit(gauss) });
    await repository.markServing('b', 'a');
    const outcome = await servedVersionAtStart(repository, extractorsOf(['a']), 'a', logger);
    expect(outcome).toEqual({ status: 'unavailable', persisted: 'b', native: 'a', missing: 1 });
    expect(await repository.serving()).toBe('b');
  });

  it('forgets versions being extracted whose recognizer is no longer loaded', async () => {
    const repository = createVersionRepository(temp.db);
    await repository.markExtracting('c');
    await repository.markExtracting('b');
    const versions = switchOf(new Gallery('a', { calibration: CAL_A }), ['a', 'b']);
    await versions.open();
    expect(await repository.extracting()).toEqual(['b']);
    expect(await stateRows()).toEqual({ b: 'extracting' });
  });
});
