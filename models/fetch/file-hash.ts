/** Hashing for model files and package tarballs: sha256 of a file, npm integrity strings. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

const READ_CHUNK_BYTES = 1 << 20;

/** What a file on disk should be. */
export interface ExpectedFile {
  sha256: string;
  size: number;
}

/** Result of checking one file against its expected hash. */
export type FileCheck =
  | { state: 'valid' }
  | { state: 'missing' }
  | { state: 'corrupt'; actualSha256: string; actualSize: number };

/** Returns the lowercase hex sha256 of a file, streamed in 1 MiB chunks. */
export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: READ_CHUNK_BYTES })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/** Checks that a file exists and has the expected sha256 (a missing file is not an error). */
export async function checkFile(filePath: string, expected: ExpectedFile): Promise<FileCheck> {
  const info = await stat(filePath).catch(() => undefined);
  if (!info?.isFile()) {
    return { state: 'missing' };
  }
  const actualSha256 = await sha256File(filePath);
  if (info.size === expected.size && actualSha256 === expected.sha256) {
    return { state: 'valid' };
  }
  return { state: 'corrupt', actualSha256, actualSize: info.size };
}

/** Computes the npm-style `sha512-<base64>` integrity string of some bytes. */
export function integrityOf(bytes: Uint8Array): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}
