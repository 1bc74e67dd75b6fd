/**
 * A second recognizer beside the pipeline's own, for a model upgrade: an ONNX graph that takes
 * the same aligned 112×112 crop as fr_feature and gives 512 floats. Its descriptors are
 * extracted from stored samples while the first model keeps serving.
 */
import type { Logger } from '../logger/index.ts';
import { extractDescriptor } from './internal/face-recognizer.ts';
import { openModel } from './internal/onnx/onnx-session.ts';
import type { FaceCrop } from './types.ts';

/** An open recognizer session. */
export interface Recognizer {
  /** Descriptors of crops in input order: 512 floats each, L2-normalised. */
  extract(crops: FaceCrop[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/**
 * Opens the recognizer at `path` with `threads` intra-op threads. Throws AppError
 * `model_unavailable` when the file is missing or not a loadable ONNX graph.
 */
export async function openRecognizer(
  path: string,
  threads: number,
  logger?: Logger,
): Promise<Recognizer> {
  const model = await openModel(path, 'extra recognizer', threads, logger);
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
