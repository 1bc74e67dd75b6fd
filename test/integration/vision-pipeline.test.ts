/** The vision pipeline on real LFW photos and real models: detect, warp, extract, attributes. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/index.ts';
import {
  createVision,
  type DecodedImage,
  type Detection,
  type FaceCrop,
  type Vision,
} from '../../src/vision/index.ts';
import { cosineSimilarity } from '../../src/vision/internal/math/vector-math.ts';
import { hasVisionData, readLfw, visionModels } from '../unit/vision/vision-fixtures.ts';

const describeVision = hasVisionData() ? describe : describe.skip;

let vision: Vision;

beforeAll(async () => {
  if (hasVisionData()) {
    vision = await createVision({ models: visionModels(), threads: 1, maxPixels: 50_000_000 });
  }
});

afterAll(async () => {
  await vision?.close();
});

interface Face {
  image: DecodedImage;
  detections: Detection[];
  crop: FaceCrop;
  descriptor: Float32Array;
}

async function faceIn(bytes: Uint8Array): Promise<Face> {
  const image = await vision.decode(bytes);
  const detections = await vision.detect(image);
  expect(detections.length).toBeGreaterThan(0);
  const crop = await vision.warp(image, detections[0]!);
  const [descriptor] = await vision.extract([crop]);
  return { image, detections, crop, descriptor: descriptor! };
}

const lfwFace = async (name: string, n: number) => faceIn(await readLfw(name, n));
const area = (d: Detection) => d.rect.width * d.rect.height;
const distance = (a: [number, number], b: [number, number]) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const meanDistance = (a: [number, number][], b: [number, number][]) =>
  a.reduce((sum, p, i) => sum + distance(p, b[i]!), 0) / a.length;

describeVision('vision detect', () => {
  it.each([
    ['George_W_Bush', 7],
    ['Serena_Williams', 3],
    ['Colin_Powell', 40],
    ['Tony_Blair', 18],
    ['Abel_Pacheco', 1],
    ['Akhmed_Zakayev', 2],
    ['Amber_Tamblyn', 1],
    ['Angelina_Jolie', 8],
  ])('finds one dominant, centred face in %s %d', async (name, n) => {
    const { detections } = await lfwFace(name, n);
    const [best, ...others] = detections;
    expect(best!.score).toBeGreaterThan(0.8);
    const cx = best!.rect.x + best!.rect.width / 2;
    const cy = best!.rect.y + best!.rect.height / 2;
    expect(distance([cx, cy], [125, 125])).toBeLessThan(35);
    expect(best!.rect.width).toBeGreaterThan(60);
    for (const other of others) {
      expect(area(other)).toBeLessThan(area(best!) / 2);
    }
  });

  it('orders landmarks right eye, left eye, nose, right mouth, left mouth', async () => {
    const [face] = (await lfwFace('George_W_Bush', 16)).detections;
    const [rightEye, leftEye, nose, rightMouth, leftMouth] = face!.landmarks5;
    // The subject's right side is on the left of the photo.
    expect(rightEye![0]).toBeLessThan(leftEye![0]);
    expect(rightMouth![0]).toBeLessThan(leftMouth![0]);
    expect(nose![1]).toBeGreaterThan(rightEye![1]);
    expect(rightMouth![1]).toBeGreaterThan(nose![1]);
  });

  it('mirrors boxes and landmarks when the photo is flipped', async () => {
    const bytes = await readLfw('Colin_Powell', 49);
    const [upright] = (await faceIn(bytes)).detections;
    const [flipped] = (await faceIn(await sharp(bytes).flop().png().toBuffer())).detections;
    // Pixel centres run 0…249, so x mirrors to 249 − x; the subject's sides swap.
    const mirror = ([x, y]: [number, number]): [number, number] => [249 - x, y];
    const swapped = [1, 0, 2, 4, 3].map((i) => mirror(upright!.landmarks5[i]!));
    expect(flipped!.rect.x).toBeCloseTo(250 - upright!.rect.x - upright!.rect.width, -0.5);
    expect(meanDistance(flipped!.landmarks5, swapped)).toBeLessThan(3);
  });

  it('finds both faces of a photo composed from two people', async () => {
    const left = await readLfw('George_W_Bush', 65);
    const right = await readLfw('Serena_Williams', 14);
    const pair = await sharp({
      create: { width: 500, height: 250, channels: 3, background: '#808080' },
    })
      .composite([
        { input: left, left: 0, top: 0 },
        { input: right, left: 250, top: 0 },
      ])
      .jpeg({ quality: 95 })
      .toBuffer();
    const image = await vision.decode(pair);
    const found = (await vision.detect(image)).filter((d) => d.score > 0.8);
    expect(found).toHaveLength(2);
    const sides = found.map((d) => (d.rect.x + d.rect.width / 2 < 250 ? 'left' : 'right')).sort();
    expect(sides).toEqual(['left', 'right']);
    const crops = await Promise.all(found.map((d) => vision.warp(image, d)));
    const descriptors = await vision.extract(crops);
    const alone = [(await faceIn(left)).descriptor, (await faceIn(right)).descriptor];
    found.forEach((d, i) => {
      const own = alone[d.rect.x < 250 ? 0 : 1]!;
      expect(cosineSimilarity(descriptors[i]!, own)).toBeGreaterThan(0.9);
    });
  });

  it.each([
    ['a 92-px face', 250],
    ['a 37-px face', 100],
  ])('finds %s in a 1920×1080 frame at its original coordinates', async (_, side) => {
    const bytes = await readLfw('Tony_Blair', 32);
    const original = await faceIn(bytes);
    const scale = side / 250;
    const [left, top] = [1400, 700];
    const patch = await sharp(bytes).resize(side, side).toBuffer();
    const frame = await sharp({
      create: { width: 1920, height: 1080, channels: 3, background: '#6a6a6a' },
    })
      .composite([{ input: patch, left, top }])
      .jpeg({ quality: 95 })
      .toBuffer();
    const big = await faceIn(frame);
    expect([big.image.width, big.image.height]).toEqual([1920, 1080]);
    const [face] = big.detections;
    const expected = original.detections[0]!.landmarks5.map(([x, y]): [number, number] => [
      left + (x + 0.5) * scale - 0.5,
      top + (y + 0.5) * scale - 0.5,
    ]);
    // About 2.5 px of landmark noise at the 250-px scale, measured over 60 LFW photos.
    expect(meanDistance(face!.landmarks5, expected)).toBeLessThan(5 * scale + 0.5);
    expect(cosineSimilarity(big.descriptor, original.descriptor)).toBeGreaterThan(0.8);
  });

  it('honours the score threshold', async () => {
    const image = await vision.decode(await readLfw('Amber_Tamblyn', 1));
    const all = await vision.detect(image, { scoreThreshold: 0.3 });
    const strict = await vision.detect(image, { scoreThreshold: 0.99 });
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(strict).toEqual([]);
    expect(all.map((d) => d.score)).toEqual([...all.map((d) => d.score)].sort((a, b) => b - a));
  });
});

describeVision('vision extract', () => {
  it('scores the same person above different people', async () => {
    const faces = {
      bushA: await lfwFace('George_W_Bush', 7),
      bushB: await lfwFace('George_W_Bush', 145),
      serenaA: await lfwFace('Serena_Williams', 3),
      serenaB: await lfwFace('Serena_Williams', 32),
      powellA: await lfwFace('Colin_Powell', 40),
      powellB: await lfwFace('Colin_Powell', 198),
    };
    const cos = (a: Face, b: Face) => cosineSimilarity(a.descriptor, b.descriptor);
    const same = [
      cos(faces.bushA, faces.bushB),
      cos(faces.serenaA, faces.serenaB),
      cos(faces.powellA, faces.powellB),
    ];
    const different = [
      cos(faces.bushA, faces.serenaA),
      cos(faces.bushB, faces.powellA),
      cos(faces.serenaB, faces.powellB),
      cos(faces.bushA, faces.powellB),
    ];
    expect(Math.min(...same)).toBeGreaterThan(0.4);
    expect(Math.max(...different)).toBeLessThan(0.3);
  });

  it('returns 512 unit-length floats per crop, in input order', async () => {
    const a = await lfwFace('Tony_Blair', 18);
    const b = await lfwFace('Abel_Pacheco', 1);
    const both = await vision.extract([a.crop, b.crop]);
    expect(both.map((d) => d.length)).toEqual([512, 512]);
    expect(Math.hypot(...both[0]!)).toBeCloseTo(1, 5);
    expect(cosineSimilarity(both[0]!, a.descriptor)).toBeCloseTo(1, 6);
    expect(cosineSimilarity(both[1]!, b.descriptor)).toBeCloseTo(1, 6);
    expect(await vision.extract([])).toEqual([]);
  });

  it('keeps the descriptor of a photo stored rotated with an EXIF orientation', async () => {
    const upright = await sharp(await readLfw('George_W_Bush', 203))
      .extract({ left: 25, top: 0, width: 200, height: 250 })
      .jpeg({ quality: 95 })
      .toBuffer();
    // Orientation 6: the stored pixels must be turned 90° clockwise for display.
    const stored = await sharp(upright)
      .rotate(270)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect((await sharp(stored).metadata()).orientation).toBe(6);
    const a = await faceIn(upright);
    const b = await faceIn(stored);
    expect([b.image.width, b.image.height]).toEqual([200, 250]);
    expect(cosineSimilarity(a.descriptor, b.descriptor)).toBeGreaterThan(0.9);
  });

  it('stores a crop as a JPEG sample and reads it back with the same descriptor', async () => {
    const face = await lfwFace('Serena_Williams', 14);
    const jpeg = await vision.encodeCrop(face.crop);
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    const back = await vision.decodeCrop(jpeg);
    expect([back.width, back.height]).toEqual([112, 112]);
    const [again] = await vision.extract([back]);
    expect(cosineSimilarity(again!, face.descriptor)).toBeGreaterThan(0.98);
  });

  it('refuses a stored sample that is not a 112×112 crop', async () => {
    await expect(vision.decodeCrop(await readLfw('Serena_Williams', 14))).rejects.toMatchObject({
      code: 'image_decode_failed',
    });
    await expect(vision.decodeCrop(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(AppError);
  });

  it('tags descriptors with a version and names the execution provider', () => {
    expect(vision.descriptorVersion).toBe('fr_feature-1');
    expect(vision.executionProvider).toBe('cpu');
  });
});

describeVision('vision estimateBasic', () => {
  const women: [string, number][] = [
    ['Serena_Williams', 3],
    ['Serena_Williams', 14],
    ['Angelina_Jolie', 1],
    ['Angelina_Jolie', 8],
    ['Angelina_Jolie', 9],
    ['Jennifer_Aniston', 1],
  ];
  const men: [string, number][] = [
    ['George_W_Bush', 7],
    ['George_W_Bush', 16],
    ['George_W_Bush', 65],
    ['Colin_Powell', 40],
    ['Colin_Powell', 198],
    ['Tony_Blair', 18],
  ];

  async function estimate(list: [string, number][]) {
    const faces = await Promise.all(list.map(([name, n]) => lfwFace(name, n)));
    return vision.estimateBasic(faces.map((f) => f.crop));
  }

  it('tells obvious women (toward 0) from obvious men (toward 1)', async () => {
    const female = await estimate(women);
    const male = await estimate(men);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(female.map((a) => a.gender))).toBeLessThan(0.35);
    expect(mean(male.map((a) => a.gender))).toBeGreaterThan(0.75);
    for (const a of [...female, ...male]) {
      expect(a.gender).toBeGreaterThanOrEqual(0);
      expect(a.gender).toBeLessThanOrEqual(1);
    }
  });

  it('gives plausible ages: a young athlete below a senior statesman', async () => {
    const [serena] = await estimate([['Serena_Williams', 3]]);
    const [powell] = await estimate([['Colin_Powell', 40]]);
    expect(serena!.age).toBeGreaterThan(15);
    expect(serena!.age).toBeLessThan(40);
    expect(powell!.age).toBeGreaterThan(serena!.age);
    expect(powell!.age).toBeLessThan(85);
  });
});
