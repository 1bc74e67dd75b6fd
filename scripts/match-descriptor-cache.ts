/**
 * The real-derived descriptor set of the match bench and the large recall test: LFW gallery
 * variants plus probes, extracted once by `bun scripts/extract-match-descriptors.ts` and cached
 * under the git-ignored `data/bench/` (LFW never enters the repository).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESCRIPTOR_LENGTH } from '../src/descriptors/index.ts';

/** Cache folder: LUNETTE_BENCH_DIR, else the git-ignored data/bench/ of the checkout. */
export const CACHE_DIR = path.resolve(
  process.env.LUNETTE_BENCH_DIR ??
    path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'bench'),
);

/** What the cache holds besides the vectors. */
export interface DescriptorSetInfo {
  descriptorVersion: string;
  lfwDir: string;
  createdAt: string;
  photos: number;
  photosWithoutFace: number;
  /** Person of each gallery row. */
  galleryPeople: string[];
  /** Person of each probe row, and whether that person is in the gallery. */
  probePeople: string[];
  probeMated: boolean[];
}

/** A loaded descriptor set. */
export interface DescriptorSet extends DescriptorSetInfo {
  gallery: Float32Array[];
  probes: Float32Array[];
}

function cacheFiles(dir: string, version: string) {
  const base = path.join(dir, `lfw-match-${version}`);
  return { info: `${base}.json`, vectors: `${base}.f32` };
}

/** True when the cache for `version` exists. */
export function hasDescriptorSet(version: string, dir = CACHE_DIR): boolean {
  return existsSync(cacheFiles(dir, version).info);
}

/** Writes a descriptor set. */
export async function saveDescriptorSet(set: DescriptorSet, dir = CACHE_DIR): Promise<string> {
  await mkdir(dir, { recursive: true });
  const files = cacheFiles(dir, set.descriptorVersion);
  const rows = [...set.gallery, ...set.probes];
  const flat = new Float32Array(rows.length * DESCRIPTOR_LENGTH);
  for (const [i, v] of rows.entries()) {
    flat.set(v, i * DESCRIPTOR_LENGTH);
  }
  await writeFile(files.vectors, new Uint8Array(flat.buffer));
  const { gallery: _g, probes: _p, ...info } = set;
  await writeFile(files.info, JSON.stringify(info));
  return files.info;
}

/** Reads the descriptor set of `version`. */
export async function loadDescriptorSet(version: string, dir = CACHE_DIR): Promise<DescriptorSet> {
  const files = cacheFiles(dir, version);
  const info = JSON.parse(await readFile(files.info, 'utf8')) as DescriptorSetInfo;
  const bytes = await readFile(files.vectors);
  const flat = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
  const row = (i: number) => flat.subarray(i * DESCRIPTOR_LENGTH, (i + 1) * DESCRIPTOR_LENGTH);
  const galleryCount = info.galleryPeople.length;
  return {
    ...info,
    gallery: Array.from({ length: galleryCount }, (_, i) => row(i)),
    probes: Array.from({ length: info.probePeople.length }, (_, i) => row(galleryCount + i)),
  };
}
