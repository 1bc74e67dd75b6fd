/**
 * Files of the list indexes under `<dataDir>/indexes/<listId>/`: one `<buildId>.usearch` graph
 * and `<buildId>.ids` key list per build, and `manifest.json` naming the current build. A build
 * becomes current only when its manifest is renamed into place, so a crash at any earlier point
 * leaves the previous build in use; files no manifest names are removed at start-up.
 */
import { open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IndexPrecision } from './hnsw.ts';

/** What a build wrote, as recorded in its manifest. */
export interface IndexManifest {
  format: 1;
  buildId: string;
  /** Unix milliseconds when the build was committed. */
  builtAt: number;
  descriptorVersion: string;
  dimensions: number;
  precision: IndexPrecision;
  connectivity: number;
  /** Vectors in the graph. */
  size: number;
}

const MANIFEST = 'manifest.json';
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Folder of one list's index files. */
export function listDir(root: string, listId: string): string {
  if (!SAFE_ID.test(listId)) {
    throw new Error(`list id ${listId} is not usable as a folder name`);
  }
  return path.join(root, listId);
}

/** Paths of one build's graph and key list. */
export function buildFiles(root: string, listId: string, buildId: string) {
  const dir = listDir(root, listId);
  return {
    index: path.join(dir, `${buildId}.usearch`),
    ids: path.join(dir, `${buildId}.ids`),
  };
}

/** The current manifest of a list, or undefined when none is readable. */
export async function readManifest(root: string, listId: string) {
  try {
    const text = await readFile(path.join(listDir(root, listId), MANIFEST), 'utf8');
    const manifest = JSON.parse(text) as IndexManifest;
    return manifest.format === 1 ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Face ids by key ('' where the key was not added). */
export async function readKeyIds(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return text.length === 0 ? [] : text.split('\n');
}

/** Writes the key list of a build and flushes it to disk. */
export async function writeKeyIds(file: string, ids: string[]): Promise<void> {
  await writeFile(file, ids.join('\n'));
  await flush(file);
}

/** Flushes a file (or folder) to disk. */
export async function flush(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes `manifest` the list's current build: write aside, flush, rename over the old one. */
export async function commitManifest(root: string, listId: string, manifest: IndexManifest) {
  const dir = listDir(root, listId);
  const aside = path.join(dir, `${MANIFEST}.tmp`);
  await writeFile(aside, JSON.stringify(manifest));
  await flush(aside);
  await rename(aside, path.join(dir, MANIFEST));
  await flush(dir);
}

/** Removes every file of a list's folder that the current build does not use. */
export async function removeStale(root: string, listId: string, keep: string | undefined) {
  const dir = listDir(root, listId);
  const names = await readdir(dir).catch(() => [] as string[]);
  const kept = new Set([MANIFEST, `${keep}.usearch`, `${keep}.ids`]);
  for (const name of names) {
    if (keep === undefined || !kept.has(name)) {
      await rm(path.join(dir, name), { force: true });
    }
  }
}

/** Removes a list's index folder. */
export async function removeListFiles(root: string, listId: string): Promise<void> {
  await rm(listDir(root, listId), { recursive: true, force: true });
}

/** Ids of the lists that have an index folder. */
export async function indexedListIds(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && SAFE_ID.test(e.name)).map((e) => e.name);
}
