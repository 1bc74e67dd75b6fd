/**
 * Tells an image format from its first bytes (magic numbers), never from a client's content
 * type. Knows the formats Lunette decodes and the common ones it refuses.
 */

/** Formats decoded by sharp/libvips. */
export type SharpFormat = 'jpeg' | 'png' | 'webp' | 'tiff';

/** Formats decoded by Lunette's own readers. */
export type OwnFormat = 'bmp' | 'pnm';

/** Recognised formats that Lunette refuses. */
export type RefusedFormat = 'gif' | 'svg' | 'pdf' | 'heif' | 'avif' | 'jpeg2000' | 'jpegxl' | 'psd';

/** What the first bytes say. */
export type SniffedFormat =
  | { kind: 'sharp'; format: SharpFormat }
  | { kind: 'own'; format: OwnFormat }
  | { kind: 'refused'; format: RefusedFormat }
  | { kind: 'unknown' };

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return signature.every((value, i) => bytes[at + i] === value);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

const MAGIC: readonly [readonly number[], SniffedFormat][] = [
  [[0xff, 0xd8, 0xff], { kind: 'sharp', format: 'jpeg' }],
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], { kind: 'sharp', format: 'png' }],
  [[0x49, 0x49, 0x2a, 0x00], { kind: 'sharp', format: 'tiff' }],
  [[0x4d, 0x4d, 0x00, 0x2a], { kind: 'sharp', format: 'tiff' }],
  [[0x42, 0x4d], { kind: 'own', format: 'bmp' }],
  [[0x47, 0x49, 0x46, 0x38], { kind: 'refused', format: 'gif' }],
  [[0x25, 0x50, 0x44, 0x46], { kind: 'refused', format: 'pdf' }],
  [[0x38, 0x42, 0x50, 0x53], { kind: 'refused', format: 'psd' }],
  [[0xff, 0x0a], { kind: 'refused', format: 'jpegxl' }],
  [[0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20], { kind: 'refused', format: 'jpegxl' }],
  [[0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20], { kind: 'refused', format: 'jpeg2000' }],
  [[0xff, 0x4f, 0xff, 0x51], { kind: 'refused', format: 'jpeg2000' }],
];

const HEIF_BRANDS: Record<string, RefusedFormat> = {
  avif: 'avif',
  avis: 'avif',
  heic: 'heif',
  heix: 'heif',
  hevc: 'heif',
  heim: 'heif',
  heis: 'heif',
  mif1: 'heif',
  msf1: 'heif',
};

function sniffContainer(bytes: Uint8Array): SniffedFormat | undefined {
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return { kind: 'sharp', format: 'webp' };
  }
  const brand = ascii(bytes, 4, 8) === 'ftyp' ? HEIF_BRANDS[ascii(bytes, 8, 12)] : undefined;
  return brand ? { kind: 'refused', format: brand } : undefined;
}

function sniffText(bytes: Uint8Array): SniffedFormat | undefined {
  if (/^P[1-7]\s/.test(ascii(bytes, 0, 3))) {
    return { kind: 'own', format: 'pnm' };
  }
  const head = ascii(bytes, 0, Math.min(bytes.length, 256)).trimStart().toLowerCase();
  const looksSvg = head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'));
  return looksSvg ? { kind: 'refused', format: 'svg' } : undefined;
}

/** Identifies the format of `bytes` by its signature. */
export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  for (const [signature, format] of MAGIC) {
    if (startsWith(bytes, signature)) {
      return format;
    }
  }
  return sniffContainer(bytes) ?? sniffText(bytes) ?? { kind: 'unknown' };
}
