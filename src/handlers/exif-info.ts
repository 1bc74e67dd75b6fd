/**
 * Camera facts from a JPEG's EXIF block (APP1): make, model and the original date-time. Pure,
 * bounds-checked at every read; anything malformed reads as "no EXIF".
 */
import type { ExifInfo } from '../events/index.ts';

const TAG_MAKE = 0x010f;
const TAG_MODEL = 0x0110;
const TAG_EXIF_IFD = 0x8769;
const TAG_DATE_TIME_ORIGINAL = 0x9003;
const TYPE_ASCII = 2;
const MAX_TEXT = 64;

interface Tiff {
  view: DataView;
  little: boolean;
}

function app1Tiff(bytes: Uint8Array): Tiff | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint16(0) !== 0xffd8) {
    return undefined;
  }
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    const length = view.getUint16(at + 2);
    if (marker === 0xda || length < 2) {
      return undefined;
    }
    const isExif =
      marker === 0xe1 && new TextDecoder().decode(bytes.subarray(at + 4, at + 10)) === 'Exif\0\0';
    if (isExif) {
      return tiffAt(bytes.subarray(at + 10, Math.min(bytes.length, at + 2 + length)));
    }
    at += 2 + length;
  }
  return undefined;
}

function tiffAt(bytes: Uint8Array): Tiff | undefined {
  if (bytes.length < 8) {
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const order = view.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) {
    return undefined;
  }
  const little = order === 0x4949;
  return view.getUint16(2, little) === 42 ? { view, little } : undefined;
}

/** Entries of the IFD at `offset`: tag → entry offset. */
function ifdEntries(t: Tiff, offset: number): Map<number, number> {
  const entries = new Map<number, number>();
  if (offset + 2 > t.view.byteLength) {
    return entries;
  }
  const count = t.view.getUint16(offset, t.little);
  for (let i = 0; i < count; i++) {
    const entry = offset + 2 + i * 12;
    if (entry + 12 > t.view.byteLength) {
      break;
    }
    entries.set(t.view.getUint16(entry, t.little), entry);
  }
  return entries;
}

function asciiAt(t: Tiff, entry: number | undefined): string | undefined {
  if (entry === undefined || t.view.getUint16(entry + 2, t.little) !== TYPE_ASCII) {
    return undefined;
  }
  const count = Math.min(t.view.getUint32(entry + 4, t.little), MAX_TEXT);
  const start = count <= 4 ? entry + 8 : t.view.getUint32(entry + 8, t.little);
  if (start + count > t.view.byteLength) {
    return undefined;
  }
  const raw = new Uint8Array(t.view.buffer, t.view.byteOffset + start, count);
  const text = new TextDecoder().decode(raw).replace(/\0.*$/s, '').trim();
  return text || undefined;
}

/** Make, model and original date-time of a JPEG, or undefined when it carries none. */
export function readExifInfo(bytes: Uint8Array): ExifInfo | undefined {
  const t = app1Tiff(bytes);
  if (!t) {
    return undefined;
  }
  const ifd0 = ifdEntries(t, t.view.getUint32(4, t.little));
  const exifPointer = ifd0.get(TAG_EXIF_IFD);
  const exif =
    exifPointer === undefined
      ? new Map()
      : ifdEntries(t, t.view.getUint32(exifPointer + 8, t.little));
  const info: ExifInfo = {
    make: asciiAt(t, ifd0.get(TAG_MAKE)),
    model: asciiAt(t, ifd0.get(TAG_MODEL)),
    dateTimeOriginal: asciiAt(t, exif.get(TAG_DATE_TIME_ORIGINAL)),
  };
  return info.make || info.model || info.dateTimeOriginal ? info : undefined;
}
