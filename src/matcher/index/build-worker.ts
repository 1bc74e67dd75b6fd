/**
 * Worker thread of an index build: receives chunks of vectors from the serving thread, adds
 * them to a usearch graph and saves it, so the event loop never blocks on graph construction.
 */
import type { Index } from 'usearch';
import { createHnsw } from './hnsw.ts';
import type { WorkerCommand, WorkerReply } from './worker-protocol.ts';

declare const self: Worker;

let index: Index | undefined;
let threads = 1;

function handle(command: WorkerCommand): WorkerReply {
  switch (command.type) {
    case 'open':
      index = createHnsw(command.dimensions, command.precision);
      threads = command.threads;
      return { type: 'ok', size: 0 };
    case 'add':
      if (!index) {
        throw new Error('add before open');
      }
      if (command.keys.length > 0) {
        index.add(command.keys, command.vectors, threads);
      }
      return { type: 'ok', size: index.size() };
    case 'save':
      if (!index) {
        throw new Error('save before open');
      }
      index.save(command.file);
      return { type: 'ok', size: index.size() };
  }
}

self.onmessage = (event: MessageEvent<WorkerCommand>) => {
  try {
    self.postMessage(handle(event.data));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    self.postMessage({ type: 'failed', message } satisfies WorkerReply);
  }
};
