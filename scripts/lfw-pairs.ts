/** Reads the LFW pairs protocol (pairs.txt) and runs images through the product's pipeline. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DecodedImage, Detection, Vision } from '../src/vision/index.ts';

/** One verification pair of the protocol. */
export interface LfwPair {
  fold: number;
  same: boolean;
  a: string;
  b: string;
}

function imagePath(root: string, name: string, n: string): string {
  return path.join(root, 'images', name, `${name}_${n.padStart(4, '0')}.jpg`);
}

/** Parses pairs.txt: a header `folds perFold`, then per fold same pairs then different pairs. */
export async function readPairs(root: string): Promise<LfwPair[]> {
  const lines = (await readFile(path.join(root, 'pairs.txt'), 'utf8')).trim().split('\n');
  const [folds, perFold] = lines[0]!.trim().split(/\s+/).map(Number) as [number, number];
  const pairs: LfwPair[] = [];
  for (let i = 0; i < folds * perFold * 2; i++) {
    const parts = lines[i + 1]!.trim().split(/\s+/);
    const fold = Math.floor(i / (perFold * 2));
    if (parts.length === 3) {
      const [name, n1, n2] = parts as [string, string, string];
      pairs.push({ fold, same: true, a: imagePath(root, name, n1), b: imagePath(root, name, n2) });
    } else {
      const [n1, i1, n2, i2] = parts as [string, string, string, string];
      pairs.push({ fold, same: false, a: imagePath(root, n1, i1), b: imagePath(root, n2, i2) });
    }
  }
  return pairs;
}

function centreDistance(d: Detection, width: number, height: number): number {
  const cx = d.rect.x + d.rect.width / 2 - width / 2;
  const cy = d.rect.y + d.rect.height / 2 - height / 2;
  return Math.hypot(cx, cy);
}

/**
 * The subject of one LFW photo with its decoded image: LFW crops are centred on the subject, so
 * of several faces the one nearest the centre is taken. Undefined when no face is found.
 */
export async function subjectOf(
  vision: Vision,
  file: string,
): Promise<{ image: DecodedImage; subject: Detection } | undefined> {
  const image = await vision.decode(await readFile(file));
  const faces = await vision.detect(image);
  if (faces.length === 0) {
    return undefined;
  }
  const subject = faces.reduce((best, d) =>
    centreDistance(d, image.width, image.height) < centreDistance(best, image.width, image.height)
      ? d
      : best,
  );
  return { image, subject };
}

/** The descriptor of the subject of one LFW photo (see {@link subjectOf}). */
export async function subjectDescriptor(
  vision: Vision,
  file: string,
): Promise<Float32Array | undefined> {
  const found = await subjectOf(vision, file);
  if (!found) {
    return undefined;
  }
  const [descriptor] = await vision.extract([await vision.warp(found.image, found.subject)]);
  return descriptor;
}
