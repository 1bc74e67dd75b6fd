/**
 * A second recognizer beside the pipeline's own, for a model upgrade: an ONNX graph that takes
 * the same aligned 112×112 crop as fr_feature and gives 512 floats. Its descriptors are
 * extracted from stored samples while the first model keeps serving. The graph is checked at
 * open (input shape, one blank crop through it), so an incompatible file stops start-up.
 */
import { AppError } from '../errors/index.ts';
import type { Logger } from '../logger/index.ts';
import { DESCRIPTOR_LENGTH, extractDescriptor } from './internal/face-recognizer.ts';
import { CROP_SIZE } from './internal/image-checks.ts';
import { type ModelSession, openModel } from './internal/onnx/onnx-session.ts';
import type { FaceCrop } from './types.ts';

/** An open recognizer session. */
export interface Recognizer {
  /** Descriptors of crops in input order: 512 floats each, L2-normalised. */
  extract(crops: FaceCrop[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

// NCHW with a batch of one (or a symbolic / -1 batch), 3 channels, 112×112.
const INPUT_SHAPE = [1, 3, CROP_SIZE, CROP_SIZE];

/** Why the graph's first input cannot take one 112×112 crop, or undefined when it can. */
function inputShapeProblem(model: ModelSession): string | undefined {
  const meta = model.session.inputMetadata[0];
  if (!meta?.isTensor || meta.type !== 'float32') {
    return 'its first input is not a float32 tensor';
  }
  const shape = meta.shape;
  const batchOk = typeof shape[0] === 'string' || shape[0] === 1 || shape[0] === -1;
  const restOk = shape.length === 4 && shape.slice(1).every((d, i) => d === INPUT_SHAPE[i + 1]);
  if (!batchOk || !restOk) {
    return `its input shape is [${shape.join(',')}], not [${INPUT_SHAPE.join(',')}]`;
  }
  return undefined;
}

/** Why a blank crop does not give 512 finite floats, or undefined when it does. */
async function probeProblem(model: ModelSession): Promise<string | undefined> {
  const blank: FaceCrop = {
    width: CROP_SIZE,
    height: CROP_SIZE,
    data: Buffer.alloc(CROP_SIZE * CROP_SIZE * 3),
  };
  try {
    const descriptor = await extractDescriptor(model, blank);
    return descriptor.every(Number.isFinite) ? undefined : 'a blank crop gave non-finite values';
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `a blank crop did not give ${DESCRIPTOR_LENGTH} values: ${reason}`;
  }
}

/**
 * Opens the recognizer at `path` with `threads` intra-op threads. Throws AppError
 * `model_unavailable` when the file is missing, not a loadable ONNX graph, or not a recognizer
 * of aligned crops (input other than [1,3,112,112], or a blank crop not giving 512 floats).
 */
export async function openRecognizer(
  path: string,
  threads: number,
  logger?: Logger,
): Promise<Recognizer> {
  const model = await openModel(path, 'extra recognizer', threads, logger);
  const problem = inputShapeProblem(model) ?? (await probeProblem(model));
  if (problem) {
    await model.session.release();
    throw new AppError(
      'model_unavailable',
      `extra recognizer ${path} is not a face recognizer of 112×112 crops: ${problem}`,
    );
  }
  return {
    async extract(crops) {
      const out: Float32Array[] = [];
      for (const crop of crops) {
        out.push(await extractDescriptor(model, crop));
      }
      return out;
    },
    close: () => model.session.release(),
  };
}
