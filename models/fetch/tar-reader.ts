/**
 * A small reader for gzipped tarballs (ustar, pax and GNU long names): pulls named files out
 * of an npm package tarball in memory. Only regular files are returned; nothing is written.
 */
import { gunzipSync } from 'node:zlib';

const BLOCK = 512;
const decoder = new TextDecoder();

interface TarHeader {
  name: string;
  size: number;
  type: string;
}

function readString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

function readOctal(block: Uint8Array, offset: number, length: number): number {
  // Base-256 sizes (high bit set) only occur for entries over 8 GiB: not a model tarball.
  if (((block[offset] ?? 0) & 0x80) !== 0) {
    throw new Error('tar entry larger than 8 GiB is not supported');
  }
  const text = readString(block, offset, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function readHeader(block: Uint8Array): TarHeader {
  const name = readString(block, 0, 100);
  const isUstar = readString(block, 257, 5) === 'ustar';
  const prefix = isUstar ? readString(block, 345, 155) : '';
  return {
    name: prefix ? `${prefix}/${name}` : name,
    size: readOctal(block, 124, 12),
    type: String.fromCharCode(block[156] ?? 0),
  };
}

// A pax record is "<len> key=value\n"; only `path` matters here.
function readPaxPath(data: Uint8Array): string | undefined {
  for (const record of decoder.decode(data).split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) {
      return match[1];
    }
  }
  return undefined;
}

/** Drops the tarball's top folder (`package/` for npm), giving the path inside the package. */
export function stripTopFolder(entryPath: string): string {
  const slash = entryPath.indexOf('/');
  return slash === -1 ? entryPath : entryPath.slice(slash + 1);
}

/** Reads an uncompressed tar archive, returning the wanted regular files by package path. */
export function readTarEntries(
  tar: Uint8Array,
  wanted: ReadonlySet<string>,
): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  let longName: string | undefined;
  let offset = 0;
  while (offset + BLOCK <= tar.length && found.size < wanted.size) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) {
      break;
    }
    const header = readHeader(block);
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + header.size);
    if (data.length < header.size) {
      throw new Error(`tar archive truncated inside ${header.name}`);
    }
    offset += BLOCK + Math.ceil(header.size / BLOCK) * BLOCK;
    if (header.type === 'x' || header.type === 'L') {
      longName = header.type === 'x' ? readPaxPath(data) : readString(data, 0, data.length);
      continue;
    }
    const entryPath = stripTopFolder(longName ?? header.name);
    longName = undefined;
    if ((header.type === '0' || header.type === '\0') && wanted.has(entryPath)) {
      found.set(entryPath, data.slice());
    }
  }
  return found;
}

/** Gunzips a `.tgz` and returns the wanted regular files by package path. */
export function readTgzEntries(
  tgz: Uint8Array,
  wanted: ReadonlySet<string>,
): Map<string, Uint8Array> {
  return readTarEntries(gunzipSync(tgz), wanted);
}
