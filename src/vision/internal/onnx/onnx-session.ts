/**
 * Opens one onnxruntime CPU session per model file: subnormal weights flushed to zero at load,
 * denormals-as-zero set, thread count from the caller, warnings from the graph checker muted.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { AppError } from '../../../errors/index.ts';
import type { Logger } from '../../../logger/index.ts';
import { flushSubnormalWeights } from './flush-subnormals.ts';

/** The execution provider every session uses. */
export const EXECUTION_PROVIDER = 'cpu';

// onnxruntime severity 3 = errors only (the SSR-Net graphs list their weights as inputs).
const LOG_ERRORS_ONLY = 3;

/** A loaded model: its session and the names of its first input and outputs. */
export interface ModelSession {
  session: ort.InferenceSession;
  input: string;
  outputs: readonly string[];
}

function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [EXECUTION_PROVIDER],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: LOG_ERRORS_ONLY,
    extra: { session: { set_denormal_as_zero: '1' } },
  };
}

async function loadSession(path: string, threads: number) {
  const { bytes, flushed } = flushSubnormalWeights(await readFile(path));
  const session = await ort.InferenceSession.create(bytes, sessionOptions(threads));
  return { session, flushed };
}

/** Loads the model at `path` into a CPU session; throws AppError `model_unavailable`. */
export async function openModel(
  path: string,
  name: string,
  threads: number,
  logger?: Logger,
): Promise<ModelSession> {
  const started = performance.now();
  try {
    const { session, flushed } = await loadSession(path, threads);
    const durationMs = Math.round(performance.now() - started);
    logger?.info('model_loaded', { model: name, path, flushedSubnormals: flushed, durationMs });
    return { session, input: session.inputNames[0]!, outputs: session.outputNames };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('model_unavailable', `${name} model not loaded from ${path}: ${reason}`);
  }
}

/** Runs a session on one float32 NCHW tensor and returns every output by name. */
export async function runModel(
  model: ModelSession,
  data: Float32Array,
  dims: readonly number[],
): Promise<ort.InferenceSession.ReturnType> {
  const feeds = { [model.input]: new ort.Tensor('float32', data, dims) };
  return model.session.run(feeds);
}

/** Reads one named output as float32 data. */
export function outputData(outputs: ort.InferenceSession.ReturnType, name: string): Float32Array {
  const tensor = outputs[name];
  if (!tensor || !(tensor.data instanceof Float32Array)) {
    throw new AppError('internal_error', `model output ${name} missing or not float32`);
  }
  return tensor.data;
}
