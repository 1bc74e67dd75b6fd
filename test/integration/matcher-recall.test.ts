/**
 * Matching on real descriptors: LFW photos through the product's own pipeline, each re-cropped,
 * mirrored and re-lit into several descriptors (scripts/lfw-variants.ts). The CI set is about
 * 2,000 gallery descriptors; the issue's ≥100,000-descriptor set is extracted once by
 * `bun scripts/extract-match-descriptors.ts` and checked here with LUNETTE_TEST_RECALL_100K=1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeVariants,
  GALLERY_VARIANTS,
  isHeldOut,
  type LfwPhoto,
  listPhotos,
} from '../../scripts/lfw-variants.ts';
import { hasDescriptorSet, loadDescriptorSet } from '../../scripts/match-descriptor-cache.ts';
import { dot } from '../../src/descriptors/index.ts';
import { createLogger } from '../../src/logger/index.ts';
import { Gallery, type IndexPrecision, type StoragePrecision } from '../../src/matcher/index.ts';
import { testVision } from '../helpers/appliance.ts';
import { hasLfw, LFW_DIR } from '../helpers/paths.ts';
import { bruteForce } from '../helpers/synthetic-descriptors.ts';

const LIST = 'recall';
const CI_PHOTOS = 750;
const CI_VARIANTS = GALLERY_VARIANTS.slice(0, 3);
const RUN_100K = process.env.LUNETTE_TEST_RECALL_100K === '1' && hasDescriptorSet('fr_feature-1');

interface Faces {
  gallery: { id: string; vector: Float32Array; person: string }[];
  probes: { vector: Float32Array; person: string; mated: boolean }[];
}

const roots: string[] = [];

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

/** Whole people in a fixed hashed order until `limit` photos; one photo of each is a probe. */
function pickCiPhotos(photos: LfwPhoto[]) {
  const byPerson = Map.groupBy(photos, (p) => p.person);
  const people = [...byPerson.keys()].sort((a, b) => (Bun.hash(a) < Bun.hash(b) ? -1 : 1));
  const chosen: { photo: LfwPhoto; probe: boolean }[] = [];
  for (const person of people) {
    const own = byPerson.get(person)!;
    const probeAt = isHeldOut(person) ? 0 : own.length >= 2 ? own.length - 1 : -1;
    chosen.push(...own.map((photo, i) => ({ photo, probe: i === probeAt })));
    if (chosen.length >= CI_PHOTOS) {
      break;
    }
  }
  return chosen.filter((c) => c.probe || !isHeldOut(c.photo.person));
}

async function extractCiFaces(): Promise<Faces> {
  const vision = await testVision();
  const faces: Faces = { gallery: [], probes: [] };
  for (const { photo, probe } of pickCiPhotos(await listPhotos(LFW_DIR))) {
    const variants = probe ? [GALLERY_VARIANTS[0]!] : CI_VARIANTS;
    const vectors = await describeVariants(vision, photo.file, variants);
    for (const vector of vectors ?? []) {
      if (probe) {
        faces.probes.push({ vector, person: photo.person, mated: !isHeldOut(photo.person) });
      } else {
        const id = `g${String(faces.gallery.length).padStart(6, '0')}`;
        faces.gallery.push({ id, vector, person: photo.person });
      }
    }
  }
  return faces;
}

async function galleryOf(faces: Faces, precision: StoragePrecision, index?: IndexPrecision) {
  const root = await mkdtemp(path.join(tmpdir(), 'lunette-recall-'));
  roots.push(root);
  const settings = {
    root,
    minFaces: 1e9,
    maxDelta: 1e9,
    precision: index ?? 'i8',
    buildThreads: 1,
  };
  const gallery = new Gallery('fr_feature-1', {
    precision,
    index: index ? settings : undefined,
    logger: createLogger(),
  });
  for (const face of faces.gallery) {
    gallery.link(LIST, face.id, face.vector);
  }
  if (index) {
    gallery.buildIndex(LIST);
    while (gallery.indexStatus(LIST).state === 'building') {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(gallery.indexStatus(LIST)).toMatchObject({ ready: true, size: faces.gallery.length });
  }
  return gallery;
}

/** Share of probes whose top-1 from `gallery` equals the float32 exact scan's top-1. */
function topOneAgreement(gallery: Gallery, reference: Gallery, faces: Faces) {
  const agreeing = faces.probes.filter(
    (p) => gallery.search(LIST, p.vector, 1)[0]!.id === reference.search(LIST, p.vector, 1)[0]!.id,
  );
  return agreeing.length / faces.probes.length;
}

/** What each descriptor set must show. */
interface Expectations {
  minGallery: number;
  /** Probes checked against the JavaScript brute force (it is slow on big galleries). */
  bruteProbes: number;
}

function checks(load: () => Promise<Faces>, expect_: Expectations) {
  const { minGallery, bruteProbes } = expect_;
  let faces: Faces;
  let exact: Gallery;

  beforeAll(async () => {
    faces = await load();
    exact = await galleryOf(faces, 'f32');
  }, 600_000);

  it('holds real descriptors of the expected size', () => {
    expect(faces.gallery.length).toBeGreaterThanOrEqual(minGallery);
    expect(faces.probes.filter((p) => p.mated).length).toBeGreaterThanOrEqual(50);
    expect(faces.probes.filter((p) => !p.mated).length).toBeGreaterThanOrEqual(10);
  });

  it('ranks exactly as the straightforward float32 cosine', () => {
    for (const probe of faces.probes.slice(0, bruteProbes)) {
      expect(exact.search(LIST, probe.vector, 10)).toEqual(
        bruteForce(faces.gallery, probe.vector, 10),
      );
    }
  });

  it('finds the same person first for most mated probes (the descriptors are real)', () => {
    const mated = faces.probes.filter((p) => p.mated);
    const person = new Map(faces.gallery.map((f) => [f.id, f.person]));
    const hits = mated.filter(
      (p) => person.get(exact.search(LIST, p.vector, 1)[0]!.id) === p.person,
    );
    expect(hits.length / mated.length).toBeGreaterThan(0.8);
  });

  it('answers from int8 storage exactly as float32: ids, order and scores', async () => {
    const int8 = await galleryOf(faces, 'i8');
    for (const probe of faces.probes.slice(0, bruteProbes)) {
      expect(int8.search(LIST, probe.vector, 10)).toEqual(
        bruteForce(faces.gallery, probe.vector, 10),
      );
    }
    for (const probe of faces.probes) {
      expect(int8.search(LIST, probe.vector, 10)).toEqual(exact.search(LIST, probe.vector, 10));
    }
  });

  it.each([
    ['i8', 'f32'],
    ['f16', 'f32'],
    ['i8', 'i8'],
  ] as const)(
    'keeps indexed (%s graph, %s storage) top-1 equal to exact top-1 for ≥ 99 % of probes',
    async (precision, storage) => {
      const indexed = await galleryOf(faces, storage, precision);
      expect(topOneAgreement(indexed, exact, faces)).toBeGreaterThanOrEqual(0.99);
      const vectorOf = new Map(faces.gallery.map((f) => [f.id, f.vector]));
      for (const probe of faces.probes.slice(0, 100)) {
        for (const found of indexed.search(LIST, probe.vector, 10)) {
          expect(found.cosine).toBe(dot(vectorOf.get(found.id)!, probe.vector));
        }
      }
      await indexed.close();
    },
    1_200_000,
  );
}

describe.skipIf(!hasLfw())('matcher on real LFW descriptors (CI set)', () => {
  checks(extractCiFaces, { minGallery: 1500, bruteProbes: Number.POSITIVE_INFINITY });
});

describe.skipIf(!RUN_100K)('matcher on the cached ≥100,000 real-derived descriptors', () => {
  const load = async (): Promise<Faces> => {
    const set = await loadDescriptorSet('fr_feature-1');
    return {
      gallery: set.gallery.map((vector, i) => ({
        id: `g${String(i).padStart(6, '0')}`,
        vector,
        person: set.galleryPeople[i]!,
      })),
      probes: set.probes.map((vector, i) => ({
        vector,
        person: set.probePeople[i]!,
        mated: set.probeMated[i]!,
      })),
    };
  };
  checks(load, { minGallery: 100_000, bruteProbes: 20 });
});
