/**
 * Real-derived descriptors for matcher tests and the match bench: LFW photos through the
 * product's own pipeline (decode → detect → warp → extract), each photo also re-cropped,
 * rotated, mirrored and re-lit so one photo yields several descriptors. Only the pixels fed to
 * the extractor change; every descriptor comes from the real recognizer.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DecodedImage, Detection, FaceCrop, Vision } from '../src/vision/index.ts';

/** One way of re-cropping and re-lighting a photo's face. */
export interface Variant {
  /** Landmark zoom around their centre (> 1 moves the crop out). */
  zoom: number;
  /** Shift as a fraction of the eye distance. */
  shiftX: number;
  shiftY: number;
  /** Rotation of the crop in degrees. */
  rotate: number;
  flip: boolean;
  /** Pixel gain and bias (v × gain + bias, clamped). */
  gain: number;
  bias: number;
}

const PLAIN: Variant = { zoom: 1, shiftX: 0, shiftY: 0, rotate: 0, flip: false, gain: 1, bias: 0 };
const vary = (patch: Partial<Variant>): Variant => ({ ...PLAIN, ...patch });

/** The gallery variants, in order: the plain crop first. */
export const GALLERY_VARIANTS: readonly Variant[] = [
  PLAIN,
  vary({ flip: true }),
  vary({ zoom: 0.9 }),
  vary({ zoom: 1.1 }),
  vary({ shiftX: 0.08 }),
  vary({ shiftY: 0.08 }),
  vary({ rotate: 6 }),
  vary({ rotate: -6 }),
  vary({ flip: true, zoom: 0.9 }),
  vary({ flip: true, rotate: 6 }),
  vary({ gain: 0.7 }),
  vary({ gain: 1.2, bias: 15 }),
  vary({ flip: true, gain: 0.7 }),
  vary({ zoom: 1.1, gain: 1.2, bias: 15 }),
  vary({ zoom: 0.95, rotate: -3 }),
  vary({ flip: true, shiftY: -0.06, gain: 1.1 }),
];

/** One LFW photo: its path and person. */
export interface LfwPhoto {
  file: string;
  person: string;
}

/** Every photo under `<lfwDir>/images`, sorted by path. */
export async function listPhotos(lfwDir: string): Promise<LfwPhoto[]> {
  const root = path.join(lfwDir, 'images');
  const people = (await readdir(root)).sort();
  const photos: LfwPhoto[] = [];
  for (const person of people) {
    for (const name of (await readdir(path.join(root, person))).sort()) {
      photos.push({ file: path.join(root, person, name), person });
    }
  }
  return photos;
}

/** The subject of a photo: the detected face nearest the image centre (LFW centres it). */
export async function subjectOf(vision: Vision, file: string) {
  const image = await vision.decode(await readFile(file));
  const faces = await vision.detect(image);
  const offCentre = (d: Detection) =>
    Math.hypot(
      d.rect.x + d.rect.width / 2 - image.width / 2,
      d.rect.y + d.rect.height / 2 - image.height / 2,
    );
  const subject = faces.sort((a, b) => offCentre(a) - offCentre(b))[0];
  return subject ? { image, subject } : undefined;
}

/** The aligned crop of `subject` re-cropped, mirrored and re-lit as `variant` says. */
export async function variantCrop(
  vision: Vision,
  image: DecodedImage,
  subject: Detection,
  variant: Variant,
): Promise<FaceCrop> {
  const crop = await vision.warp(image, moveLandmarks(subject, variant));
  return relight(variant.flip ? mirror(crop) : crop, variant.gain, variant.bias);
}

function moveLandmarks(d: Detection, v: Variant): Detection {
  const points = d.landmarks5;
  const cx = points.reduce((s, p) => s + p[0], 0) / points.length;
  const cy = points.reduce((s, p) => s + p[1], 0) / points.length;
  const eyes = Math.hypot(points[1]![0] - points[0]![0], points[1]![1] - points[0]![1]);
  const angle = (v.rotate * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle) * v.zoom, Math.sin(angle) * v.zoom];
  const landmarks5 = points.map(([x, y]): [number, number] => [
    cx + cos * (x - cx) - sin * (y - cy) + v.shiftX * eyes,
    cy + sin * (x - cx) + cos * (y - cy) + v.shiftY * eyes,
  ]);
  return { ...d, landmarks5 };
}

function mirror(crop: FaceCrop): FaceCrop {
  const data = Buffer.alloc(crop.data.length);
  for (let y = 0; y < crop.height; y++) {
    for (let x = 0; x < crop.width; x++) {
      const from = (y * crop.width + x) * 3;
      const to = (y * crop.width + (crop.width - 1 - x)) * 3;
      crop.data.copy(data, to, from, from + 3);
    }
  }
  return { ...crop, data };
}

function relight(crop: FaceCrop, gain: number, bias: number): FaceCrop {
  if (gain === 1 && bias === 0) {
    return crop;
  }
  const data = Buffer.alloc(crop.data.length);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.max(0, Math.min(255, Math.round(crop.data[i]! * gain + bias)));
  }
  return { ...crop, data };
}

/** Descriptors of `variants` of one photo's subject; undefined when no face is found. */
export async function describeVariants(
  vision: Vision,
  file: string,
  variants: readonly Variant[],
): Promise<Float32Array[] | undefined> {
  const found = await subjectOf(vision, file);
  if (!found) {
    return undefined;
  }
  const crops = [];
  for (const variant of variants) {
    crops.push(await variantCrop(vision, found.image, found.subject, variant));
  }
  return vision.extract(crops);
}

/** True for the people kept out of every gallery, so some probes have no mate (~1 in 20). */
export function isHeldOut(person: string): boolean {
  let hash = 2166136261;
  for (let i = 0; i < person.length; i++) {
    hash = Math.imul(hash ^ person.charCodeAt(i), 16777619);
  }
  return (hash >>> 0) % 20 === 0;
}
