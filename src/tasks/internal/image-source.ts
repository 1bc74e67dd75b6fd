/**
 * The images an estimator task reads: the image files of a folder (recursively) or the image
 * entries of a zip archive, both inside the import folder, in name order so a resumed task
 * continues at the same index. Paths are confined to the import folder (symlinks resolved).
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { listZip, readZipEntry, type ZipEntry } from './zip-reader.ts';

const IMAGE_NAME = /\.(jpe?g|png|webp|bmp|tiff?|ppm|pgm)$/i;

/** Where the images come from. */
export type ImageSourceSpec = { type: 'zip' | 'folder'; path: string };

/** An ordered, indexable list of images. */
export interface ImageSource {
  readonly names: string[];
  read(index: number): Promise<Uint8Array>;
}

/** Thrown when a path is outside the import folder, missing, or of the wrong kind. */
export class ImageSourceError extends Error {}

/** The absolute path of `relative` inside `root`, refusing anything that leaves it. */
export async function confinedPath(root: string, relative: string): Promise<string> {
  const base = await realpath(root).catch(() => {
    throw new ImageSourceError(`the import folder ${root} does not exist`);
  });
  // One answer for "outside" and "missing", so the message tells nothing about other folders.
  const refused = new ImageSourceError(`${relative} is not a path inside the import folder`);
  const inside = (p: string) => p === base || p.startsWith(`${base}${path.sep}`);
  const lexical = path.resolve(base, relative);
  if (!inside(lexical)) {
    throw refused;
  }
  const target = await realpath(lexical).catch(() => {
    throw refused;
  });
  if (!inside(target)) {
    throw refused;
  }
  return target;
}

async function folderSource(folder: string): Promise<ImageSource> {
  if (!(await stat(folder)).isDirectory()) {
    throw new ImageSourceError(`${folder} is not a folder`);
  }
  const entries = await readdir(folder, { recursive: true });
  const names = entries.filter((name) => IMAGE_NAME.test(name)).sort();
  return { names, read: async (i) => new Uint8Array(await readFile(path.join(folder, names[i]!))) };
}

async function zipSource(file: string, maxBytes: number): Promise<ImageSource> {
  if (!(await stat(file)).isFile()) {
    throw new ImageSourceError(`${file} is not a file`);
  }
  const bytes = new Uint8Array(await readFile(file));
  let entries: ZipEntry[];
  try {
    entries = listZip(bytes);
  } catch (err) {
    throw new ImageSourceError((err as Error).message);
  }
  const images = entries
    .filter((e) => !e.isDirectory && IMAGE_NAME.test(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    names: images.map((e) => e.name),
    read: async (i) => readZipEntry(bytes, images[i]!, maxBytes),
  };
}

/** Opens the source `spec` under `root`; throws ImageSourceError for a bad path or archive. */
export async function openImageSource(
  root: string,
  spec: ImageSourceSpec,
  maxBytes: number,
): Promise<ImageSource> {
  const target = await confinedPath(root, spec.path);
  return spec.type === 'zip' ? zipSource(target, maxBytes) : folderSource(target);
}
