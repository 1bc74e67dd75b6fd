/** Loading the real ONNX models: flushed subnormals keep outputs; bad files and close fail. */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createVision } from '../../src/vision/index.ts';
import { decodeImage } from '../../src/vision/internal/decode/decode-image.ts';
import { detectFaces } from '../../src/vision/internal/face-detector.ts';
import { extractDescriptor } from '../../src/vision/internal/face-recognizer.ts';
import { warpFace } from '../../src/vision/internal/face-warp.ts';
import { cosineSimilarity } from '../../src/vision/internal/math/vector-math.ts';
import { flushSubnormalWeights } from '../../src/vision/internal/onnx/flush-subnormals.ts';
import { openModel } from '../../src/vision/internal/onnx/onnx-session.ts';
import { hasVisionData, readLfw, visionModels } from '../unit/vision/vision-fixtures.ts';

const describeVision = hasVisionData() ? describe : describe.skip;

describeVision('vision models', () => {
  it('flushes the recognizer subnormal weights without changing its descriptors', async () => {
    const models = visionModels();
    const original = await readFile(models.recognizer);
    expect(flushSubnormalWeights(original).flushed).toBe(8938);

    const flushed = await openModel(models.recognizer, 'recognizer', 1);
    const detector = await openModel(models.detector, 'detector', 1);
    const session = await ort.InferenceSession.create(original, { logSeverityLevel: 3 });
    const asShipped = { session, input: session.inputNames[0]!, outputs: session.outputNames };
    try {
      for (const [name, n] of [
        ['George_W_Bush', 7],
        ['Serena_Williams', 3],
      ] as const) {
        const image = await decodeImage(await readLfw(name, n), 1_000_000);
        const crop = warpFace(image, (await detectFaces(detector, image))[0]!);
        const a = await extractDescriptor(flushed, crop);
        const b = await extractDescriptor(asShipped, crop);
        expect(cosineSimilarity(a, b)).toBeGreaterThan(0.99999);
      }
    } finally {
      await Promise.all([flushed, detector, asShipped].map((m) => m.session.release()));
    }
  });

  it.each([
    ['a missing file', '/nonexistent/lunette/model.onnx'],
    ['a file that is not ONNX', new URL(import.meta.url).pathname],
  ])('refuses %s as model_unavailable', async (_, file) => {
    await expect(
      createVision({ models: { ...visionModels(), age: file }, maxPixels: 1000 }),
    ).rejects.toMatchObject({
      code: 'model_unavailable',
    });
  });

  it('fails calls after close, and closes once', async () => {
    const vision = await createVision({ models: visionModels(), maxPixels: 1_000_000, threads: 2 });
    const image = await vision.decode(await readLfw('Tony_Blair', 18));
    expect(await vision.detect(image)).not.toHaveLength(0);
    await vision.close();
    await vision.close();
    await expect(vision.detect(image)).rejects.toMatchObject({ code: 'model_unavailable' });
  });
});
