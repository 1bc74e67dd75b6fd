/** Messages between the serving thread and the index build worker, one reply per command. */
import type { IndexPrecision } from './hnsw.ts';

/** A command to the build worker. */
export type WorkerCommand =
  | { type: 'open'; dimensions: number; precision: IndexPrecision; threads: number }
  | { type: 'add'; keys: BigUint64Array; vectors: Float32Array }
  | { type: 'save'; file: string };

/** The worker's answer to one command. */
export type WorkerReply = { type: 'ok'; size: number } | { type: 'failed'; message: string };
