import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../../src/vision/internal/decode/sniff-format.ts';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );

describe('sniffFormat', () => {
  it.each([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), { kind: 'sharp', format: 'jpeg' }],
    ['PNG', bytes([0x89], 'PNG\r\n', [0x1a, 0x0a]), { kind: 'sharp', format: 'png' }],
    ['WebP', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), { kind: 'sharp', format: 'webp' }],
    ['little-endian TIFF', bytes('II', [42, 0]), { kind: 'sharp', format: 'tiff' }],
    ['big-endian TIFF', bytes('MM', [0, 42]), { kind: 'sharp', format: 'tiff' }],
    ['BMP', bytes('BM', [0, 0]), { kind: 'own', format: 'bmp' }],
    ['PPM', bytes('P6\n'), { kind: 'own', format: 'pnm' }],
    ['PGM', bytes('P5 '), { kind: 'own', format: 'pnm' }],
    ['ASCII PBM (refused later)', bytes('P1\n'), { kind: 'own', format: 'pnm' }],
    ['GIF', bytes('GIF89a'), { kind: 'refused', format: 'gif' }],
    ['PDF', bytes('%PDF-1.7'), { kind: 'refused', format: 'pdf' }],
    [
      'SVG',
      bytes('  <svg xmlns="http://www.w3.org/2000/svg">'),
      { kind: 'refused', format: 'svg' },
    ],
    ['SVG with prolog', bytes('<?xml version="1.0"?>\n<svg>'), { kind: 'refused', format: 'svg' }],
    ['AVIF', bytes([0, 0, 0, 0x1c], 'ftypavif'), { kind: 'refused', format: 'avif' }],
    ['HEIC', bytes([0, 0, 0, 0x18], 'ftypheic'), { kind: 'refused', format: 'heif' }],
    ['JPEG XL', bytes([0xff, 0x0a]), { kind: 'refused', format: 'jpegxl' }],
    ['JPEG 2000', bytes([0, 0, 0, 0x0c], 'jP  '), { kind: 'refused', format: 'jpeg2000' }],
    ['Photoshop', bytes('8BPS'), { kind: 'refused', format: 'psd' }],
    ['plain text', bytes('hello'), { kind: 'unknown' }],
    ['XML that is not SVG', bytes('<?xml version="1.0"?><html>'), { kind: 'unknown' }],
    ['an MP4 video', bytes([0, 0, 0, 0x18], 'ftypisom'), { kind: 'unknown' }],
    ['nothing', bytes(), { kind: 'unknown' }],
    ['one byte', bytes([0xff]), { kind: 'unknown' }],
  ])('tells %s', (_, input, expected) => {
    expect(sniffFormat(input)).toEqual(expected);
  });
});
