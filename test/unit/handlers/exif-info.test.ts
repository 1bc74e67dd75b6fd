import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readExifInfo } from '../../../src/handlers/exif-info.ts';

const blank = () => sharp({ create: { width: 16, height: 16, channels: 3, background: '#fff' } });

describe('exif info', () => {
  it('reads make, model and the original date-time of a JPEG', async () => {
    const jpeg = await blank()
      .withExif({
        IFD0: { Make: 'Lunette', Model: 'Door cam' },
        IFD2: { DateTimeOriginal: '2026:03:10 12:34:56' },
      })
      .jpeg()
      .toBuffer();
    expect(readExifInfo(jpeg)).toEqual({
      make: 'Lunette',
      model: 'Door cam',
      dateTimeOriginal: '2026:03:10 12:34:56',
    });
  });

  it('reads big-endian (Motorola) EXIF as well', () => {
    const text = Buffer.from('Cam\0');
    const tiff = Buffer.alloc(8 + 2 + 12 + 4);
    tiff.write('MM', 0, 'latin1');
    tiff.writeUInt16BE(42, 2);
    tiff.writeUInt32BE(8, 4);
    tiff.writeUInt16BE(1, 8);
    tiff.writeUInt16BE(0x010f, 10);
    tiff.writeUInt16BE(2, 12);
    tiff.writeUInt32BE(4, 14);
    text.copy(tiff, 18);
    const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(app1.length + 2);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), length, app1]);
    expect(readExifInfo(jpeg)).toEqual({
      make: 'Cam',
      model: undefined,
      dateTimeOriginal: undefined,
    });
  });

  it.each([
    ['a JPEG without EXIF', async () => blank().jpeg().toBuffer()],
    ['a PNG', async () => blank().png().toBuffer()],
    [
      'a truncated JPEG',
      async () =>
        (
          await blank()
            .withExif({ IFD0: { Make: 'X' } })
            .jpeg()
            .toBuffer()
        ).subarray(0, 30),
    ],
    ['random bytes', async () => Buffer.from(crypto.getRandomValues(new Uint8Array(64)))],
  ])('reads nothing from %s', async (_, make) => {
    expect(readExifInfo(await make())).toBeUndefined();
  });
});
