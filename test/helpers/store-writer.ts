/**
 * A child process for the image store's crash test: opens the store in the folder given as
 * its argument and writes objects until it is killed, printing one line per stored object.
 */
import path from 'node:path';
import { migrate, openDatabase } from '../../src/db/index.ts';
import { createImageStore } from '../../src/images/index.ts';
import { createLogger } from '../../src/logger/index.ts';

const dir = process.argv[2]!;
const db = await openDatabase(`file:${path.join(dir, 'lunette.db')}`);
await migrate(db);
const store = createImageStore({
  db,
  dataDir: dir,
  imageFormat: 'original',
  maxImagePixels: 1e6,
  logger: createLogger({ module: 'writer' }),
});
const bytes = new Uint8Array(256 * 1024).fill(7);
for (;;) {
  const row = await store.objects.put('writer', { bytes, contentType: 'application/octet-stream' });
  process.stdout.write(`${row.fileId}\n`);
}
