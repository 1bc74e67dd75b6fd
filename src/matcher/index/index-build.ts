/**
 * One index build: a snapshot of the list's face ids is fed in chunks to a worker thread that
 * builds the usearch graph and saves it beside the final name; the key list is written, both
 * are flushed and renamed into place. The caller commits the manifest.
 */
import { rename, rm } from 'node:fs/promises';
import { DESCRIPTOR_LENGTH } from '../../descriptors/index.ts';
import type { ListMatrix } from '../list-matrix.ts';
import type { IndexPrecision } from './hnsw.ts';
import { buildFiles, flush, writeKeyIds } from './index-files.ts';
import type { WorkerCommand, WorkerReply } from './worker-protocol.ts';

/** Rows sent to the worker per message (8 MiB of float32). */
const CHUNK_ROWS = 4096;

/** What a build needs. */
export interface BuildPlan {
  root: string;
  listId: string;
  buildId: string;
  matrix: ListMatrix;
  precision: IndexPrecision;
  threads: number;
}

/** A finished build: its files, face ids by key ('' where skipped) and graph size. */
export interface BuiltIndex {
  files: { index: string; ids: string };
  keyIds: string[];
  size: number;
}

/** A running build that can be stopped. */
export interface RunningBuild {
  done: Promise<BuiltIndex>;
  cancel(): void;
}

/** Starts a build of `plan.matrix` as it is now; faces removed meanwhile are skipped. */
export function startBuild(plan: BuildPlan): RunningBuild {
  const worker = new Worker(new URL('./build-worker.ts', import.meta.url).href);
  const caller = workerCaller(worker);
  const done = runBuild(plan, caller.call).finally(() => worker.terminate());
  return {
    done,
    cancel() {
      caller.abort(new Error('build cancelled'));
      worker.terminate();
    },
  };
}

async function runBuild(plan: BuildPlan, call: WorkerCall): Promise<BuiltIndex> {
  const files = buildFiles(plan.root, plan.listId, plan.buildId);
  const aside = { index: `${files.index}.tmp`, ids: `${files.ids}.tmp` };
  try {
    const open = {
      dimensions: DESCRIPTOR_LENGTH,
      precision: plan.precision,
      threads: plan.threads,
    };
    await call({ type: 'open', ...open });
    const keyIds = plan.matrix.faceIds();
    for (let start = 0; start < keyIds.length; start += CHUNK_ROWS) {
      const chunk = chunkOf(plan.matrix, keyIds, start);
      await call({ type: 'add', ...chunk }, [chunk.keys.buffer, chunk.vectors.buffer]);
    }
    const { size } = await call({ type: 'save', file: aside.index });
    await flush(aside.index);
    await writeKeyIds(aside.ids, keyIds);
    await rename(aside.index, files.index);
    await rename(aside.ids, files.ids);
    return { files, keyIds, size };
  } catch (error) {
    await Promise.all([rm(aside.index, { force: true }), rm(aside.ids, { force: true })]);
    throw error;
  }
}

/** Vectors of keys [start, start + CHUNK_ROWS); ids no longer held become '' and are skipped. */
function chunkOf(matrix: ListMatrix, keyIds: string[], start: number) {
  const end = Math.min(keyIds.length, start + CHUNK_ROWS);
  const vectors = new Float32Array((end - start) * DESCRIPTOR_LENGTH);
  const keys = new BigUint64Array(end - start);
  let count = 0;
  for (let key = start; key < end; key++) {
    const out = vectors.subarray(count * DESCRIPTOR_LENGTH, (count + 1) * DESCRIPTOR_LENGTH);
    if (matrix.unitVectorInto(keyIds[key]!, out)) {
      keys[count++] = BigInt(key);
    } else {
      keyIds[key] = '';
    }
  }
  if (count === end - start) {
    return { keys, vectors };
  }
  return { keys: keys.slice(0, count), vectors: vectors.slice(0, count * DESCRIPTOR_LENGTH) };
}

type WorkerCall = (command: WorkerCommand, transfer?: ArrayBuffer[]) => Promise<{ size: number }>;

/** Sends one command at a time; `abort` fails the pending one and every later one. */
function workerCaller(worker: Worker) {
  let aborted: Error | undefined;
  let rejectPending: ((error: Error) => void) | undefined;
  const call: WorkerCall = (command, transfer = []) =>
    new Promise((resolve, reject) => {
      if (aborted) {
        reject(aborted);
        return;
      }
      rejectPending = reject;
      worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        const reply = event.data;
        if (reply.type === 'failed') {
          reject(new Error(reply.message));
        } else {
          resolve(reply);
        }
      };
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage(command, transfer);
    });
  const abort = (error: Error) => {
    aborted = error;
    rejectPending?.(error);
  };
  return { call, abort };
}
