/**
 * A minimal zip reader for archives users upload: the central directory, stored and deflated
 * entries (node:zlib raw inflate), CRC checked, sizes capped. No ZIP64, no encryption.
 */
import { inflateRawSync } from 'node:zlib';
import { crc32 } from './crc32.ts';

/** One entry listed by the central directory. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  isDirectory: boolean;
}

/** Thrown for an archive this reader cannot or will not read. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const END_RECORD = 22;

function findEnd(view: DataView): number {
  const earliest = Math.max(0, view.byteLength - END_RECORD - 0xffff);
  for (let at = view.byteLength - END_RECORD; at >= earliest; at--) {
    if (view.getUint32(at, true) === END_SIGNATURE) {
      return at;
    }
  }
  throw new ZipFormatError('no end of central directory record: not a zip archive');
}

function entryAt(bytes: Uint8Array, view: DataView, at: number): [ZipEntry, number] {
  if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
    throw new ZipFormatError('central directory is damaged');
  }
  if (view.getUint16(at + 8, true) & 1) {
    throw new ZipFormatError('encrypted entries are not supported');
  }
  const nameLength = view.getUint16(at + 28, true);
  const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
  const entry = {
    name,
    method: view.getUint16(at + 10, true),
    crc: view.getUint32(at + 16, true),
    compressedSize: view.getUint32(at + 20, true),
    size: view.getUint32(at + 24, true),
    localOffset: view.getUint32(at + 42, true),
    isDirectory: name.endsWith('/'),
  };
  return [entry, at + 46 + skip];
}

/** The entries of an archive, from its central directory. */
export function listZip(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    const [entry, next] = entryAt(bytes, view, at);
    entries.push(entry);
    at = next;
  }
  return entries;
}

function dataOf(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
    throw new ZipFormatError(`local header of ${entry.name} is damaged`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) {
    throw new ZipFormatError(`${entry.name} runs past the end of the archive`);
  }
  return bytes.subarray(start, start + entry.compressedSize);
}

function inflate(raw: Uint8Array, entry: ZipEntry): Uint8Array {
  try {
    return new Uint8Array(inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) }));
  } catch (err) {
    throw new ZipFormatError(`${entry.name} does not inflate: ${(err as Error).message}`);
  }
}

/** The uncompressed bytes of `entry`; refuses entries over `maxBytes` and checks the CRC. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Uint8Array {
  if (entry.size > maxBytes) {
    throw new ZipFormatError(`${entry.name} is over ${maxBytes} bytes`);
  }
  const raw = dataOf(bytes, entry);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = raw;
  } else if (entry.method === 8) {
    data = inflate(raw, entry);
  } else {
    throw new ZipFormatError(`${entry.name} uses compression method ${entry.method}`);
  }
  if (data.length !== entry.size || crc32(data) !== entry.crc) {
    throw new ZipFormatError(`${entry.name} fails its size or CRC check`);
  }
  return data;
}
