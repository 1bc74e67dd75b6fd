/**
 * `bun scripts/extract-match-descriptors.ts [lfwDir] [photoLimit]`: extracts the real-derived
 * descriptor set of the match bench and caches it under data/bench/. Gallery: 16 variants of
 * every LFW photo except the probe photos. Probes (plain crops, never in the gallery): one
 * photo each of 800 people who have other photos in the gallery (mated), and 200 photos of
 * people held out of the gallery (no mate). About 105,000 extractions: ~15 minutes on 2 cores.
 */
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import type { Vision } from '../src/vision/index.ts';
import {
  describeVariants,
  GALLERY_VARIANTS,
  isHeldOut,
  type LfwPhoto,
  listPhotos,
} from './lfw-variants.ts';
import { type DescriptorSet, saveDescriptorSet } from './match-descriptor-cache.ts';
import { scriptVision } from './script-vision.ts';

const MATED_PROBES = 800;
const UNMATED_PROBES = 200;

/** A fixed pseudo-random order: photos sorted by a hash of their path. */
function shuffle(list: LfwPhoto[]): LfwPhoto[] {
  const key = (p: LfwPhoto) => Bun.hash(`${p.file}#probe`);
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

function pickProbes(photos: LfwPhoto[]) {
  const byPerson = new Map<string, LfwPhoto[]>();
  for (const photo of photos) {
    const list = byPerson.get(photo.person) ?? [];
    list.push(photo);
    byPerson.set(photo.person, list);
  }
  const oneOfMany = [...byPerson.values()]
    .filter((list) => list.length >= 2 && !isHeldOut(list[0]!.person))
    .map((list) => shuffle(list)[0]!);
  const mated = shuffle(oneOfMany).slice(0, MATED_PROBES);
  const unmated = shuffle(photos.filter((p) => isHeldOut(p.person))).slice(0, UNMATED_PROBES);
  return new Set([...mated, ...unmated]);
}

async function extractAll(vision: Vision, photos: LfwPhoto[], lfwDir: string) {
  const set: DescriptorSet = {
    descriptorVersion: vision.descriptorVersion,
    lfwDir,
    createdAt: new Date().toISOString(),
    photos: photos.length,
    photosWithoutFace: 0,
    galleryPeople: [],
    probePeople: [],
    probeMated: [],
    gallery: [],
    probes: [],
  };
  const probes = pickProbes(photos);
  const started = performance.now();
  for (const [i, photo] of photos.entries()) {
    const isProbe = probes.has(photo);
    if (!isProbe && isHeldOut(photo.person)) {
      continue;
    }
    const vectors = await describeVariants(
      vision,
      photo.file,
      isProbe ? [GALLERY_VARIANTS[0]!] : GALLERY_VARIANTS,
    );
    if (!vectors) {
      set.photosWithoutFace++;
      continue;
    }
    for (const v of vectors) {
      if (isProbe) {
        set.probes.push(v);
        set.probePeople.push(photo.person);
        set.probeMated.push(!isHeldOut(photo.person));
      } else {
        set.gallery.push(v);
        set.galleryPeople.push(photo.person);
      }
    }
    if ((i + 1) % 250 === 0) {
      const rate = set.gallery.length / ((performance.now() - started) / 1000);
      console.log(
        `  ${i + 1}/${photos.length} photos, ${set.gallery.length} rows, ${rate.toFixed(0)}/s`,
      );
    }
  }
  return set;
}

async function main(): Promise<void> {
  const lfwDir = path.resolve(process.argv[2] ?? '../shared/lfw');
  const limit = Number(process.argv[3] ?? Number.POSITIVE_INFINITY);
  const config = loadConfig();
  const vision = await scriptVision(config);
  const photos = (await listPhotos(lfwDir)).slice(0, limit);
  console.log(`extracting ${photos.length} LFW photos × ${GALLERY_VARIANTS.length} variants`);
  const set = await extractAll(vision, photos, lfwDir);
  const file = await saveDescriptorSet(set);
  console.log(`${set.gallery.length} gallery rows, ${set.probes.length} probes → ${file}`);
  await vision.close();
}

await main();
