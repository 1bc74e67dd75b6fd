/**
 * Writes model bytes atomically: to a temp file beside the target, renamed into place only when
 * the sha256 matches, so a crash or a bad download never leaves a file under the final name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExpectedFile } from './file-hash.ts';

const PARTIAL_SUFFIX = '.partial';
const STALE_PARTIAL_MS = 10 * 60 * 1000;

/** Outcome of a verified write; on failure nothing exists at the target path. */
export type WriteResult =
  | { ok: true }
  | { ok: false; actualSha256: string | undefined; actualSize: number };

/** Bytes to write, from a stream (download, file copy) or in memory (tarball entry). */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Streams `source` to `target`, checking size and sha256 before renaming it into place. */
export async function writeVerified(
  source: ByteSource,
  target: string,
  expected: ExpectedFile,
): Promise<WriteResult> {
  const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}${PARTIAL_SUFFIX}`;
  try {
    const written = await writeAndHash(source, temp, expected.size);
    if (written.sha256 !== expected.sha256 || written.size !== expected.size) {
      await rm(temp, { force: true });
      return { ok: false, actualSha256: written.sha256, actualSize: written.size };
    }
    await rename(temp, target);
    return { ok: true };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

// Stops reading once the source passes maxBytes (sha256 left undefined): a wrong or hostile
// server cannot fill the disk.
async function writeAndHash(
  source: ByteSource,
  temp: string,
  maxBytes: number,
): Promise<{ sha256: string | undefined; size: number }> {
  const hash = createHash('sha256');
  const handle = await open(temp, 'wx');
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        return { sha256: undefined, size };
      }
      hash.update(chunk);
      await handle.write(chunk);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), size };
}

/** Removes temp files a crashed run left in `dir` (only ones older than ten minutes). */
export async function removeStalePartials(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const cutoff = Date.now() - STALE_PARTIAL_MS;
  for (const name of names.filter((n) => n.endsWith(PARTIAL_SUFFIX))) {
    const filePath = path.join(dir, name);
    const info = await stat(filePath).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) {
      await rm(filePath, { force: true });
    }
  }
}
