/**
 * A minimal zip writer: stored entries only (no compression), no ZIP64, UTF-8 names. Enough
 * for task results (CSV, JSON, SVG, JPEG samples that do not compress anyway). Pure.
 */
import { crc32 } from './crc32.ts';

/** One file to put in an archive. */
export interface ZipInput {
  /** Path inside the archive, `/`-separated, no leading slash. */
  name: string;
  data: Uint8Array;
  /** Modification time stored for the entry; default 1980-01-01. */
  modified?: Date;
}

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
const UTF8_FLAG = 0x0800;
const VERSION = 20;
const MAX_32 = 0xffffffff;

function dosTime(date: Date): { time: number; date: number } {
  const year = Math.max(date.getUTCFullYear(), 1980);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

interface Prepared {
  name: Uint8Array;
  data: Uint8Array;
  crc: number;
  stamp: { time: number; date: number };
  offset: number;
}

function prepare(inputs: ZipInput[]): Prepared[] {
  let offset = 0;
  return inputs.map((input) => {
    if (!input.name || input.name.startsWith('/') || input.name.split('/').includes('..')) {
      throw new Error(`unsafe zip entry name: ${input.name}`);
    }
    const name = new TextEncoder().encode(input.name);
    const entry = {
      name,
      data: input.data,
      crc: crc32(input.data),
      stamp: dosTime(input.modified ?? new Date(Date.UTC(1980, 0, 1))),
      offset,
    };
    offset += LOCAL_HEADER + name.length + input.data.length;
    return entry;
  });
}

/** Fields shared by the local and the central header, from "version needed" on. */
function writeCommon(view: DataView, at: number, e: Prepared): void {
  view.setUint16(at, VERSION, true);
  view.setUint16(at + 2, UTF8_FLAG, true);
  view.setUint16(at + 4, 0, true);
  view.setUint16(at + 6, e.stamp.time, true);
  view.setUint16(at + 8, e.stamp.date, true);
  view.setUint32(at + 10, e.crc, true);
  view.setUint32(at + 14, e.data.length, true);
  view.setUint32(at + 18, e.data.length, true);
  view.setUint16(at + 22, e.name.length, true);
  view.setUint16(at + 24, 0, true);
}

function writeLocal(out: Uint8Array, view: DataView, e: Prepared): void {
  view.setUint32(e.offset, 0x04034b50, true);
  writeCommon(view, e.offset + 4, e);
  out.set(e.name, e.offset + LOCAL_HEADER);
  out.set(e.data, e.offset + LOCAL_HEADER + e.name.length);
}

function writeCentral(out: Uint8Array, view: DataView, e: Prepared, at: number): number {
  view.setUint32(at, 0x02014b50, true);
  view.setUint16(at + 4, VERSION, true);
  writeCommon(view, at + 6, e);
  // comment length, disk number, internal and external attributes stay zero.
  view.setUint32(at + 42, e.offset, true);
  out.set(e.name, at + CENTRAL_HEADER);
  return at + CENTRAL_HEADER + e.name.length;
}

/** The bytes of a zip archive holding `inputs` in order. Throws past 4 GiB or 65,535 entries. */
export function createZip(inputs: ZipInput[]): Uint8Array {
  const entries = prepare(inputs);
  const localBytes = entries.reduce((s, e) => s + LOCAL_HEADER + e.name.length + e.data.length, 0);
  const centralBytes = entries.reduce((s, e) => s + CENTRAL_HEADER + e.name.length, 0);
  if (entries.length > 0xffff || localBytes + centralBytes > MAX_32) {
    throw new Error('zip archive too large for the non-ZIP64 format');
  }
  const out = new Uint8Array(localBytes + centralBytes + END_RECORD);
  const view = new DataView(out.buffer);
  let at = localBytes;
  for (const e of entries) {
    writeLocal(out, view, e);
    at = writeCentral(out, view, e, at);
  }
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, entries.length, true);
  view.setUint16(at + 10, entries.length, true);
  view.setUint32(at + 12, centralBytes, true);
  view.setUint32(at + 16, localBytes, true);
  return out;
}
