import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/tasks/internal/crc32.ts';
import { listZip, readZipEntry, ZipFormatError } from '../../../src/tasks/internal/zip-reader.ts';
import { createZip } from '../../../src/tasks/internal/zip-writer.ts';

const text = (s: string) => new TextEncoder().encode(s);
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
const hasZip = spawnSync('zip', ['-v']).status === 0;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lunette-zip-test-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ENTRIES = [
  { name: 'report.csv', data: text('a,b\r\n1,2\r\n') },
  { name: 'samples/cluster-00001/face-1.jpg', data: new Uint8Array(70_000).map((_, i) => i % 251) },
  { name: 'empty.txt', data: new Uint8Array(0) },
];

describe('crc32', () => {
  it.each([
    ['', 0],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('of %j is %s', (input, expected) => {
    expect(crc32(text(input))).toBe(expected);
  });

  it('continues across pieces', () => {
    expect(crc32(text('6789'), crc32(text('12345')))).toBe(0xcbf43926);
  });
});

describe('zip writer', () => {
  it.skipIf(!hasUnzip)('writes archives the system unzip lists, tests and extracts', async () => {
    const file = path.join(dir, 'out.zip');
    await writeFile(file, createZip(ENTRIES));
    expect(execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n')).toEqual(
      ENTRIES.map((e) => e.name),
    );
    expect(spawnSync('unzip', ['-tq', file]).status).toBe(0);
    expect(execFileSync('unzip', ['-p', file, 'report.csv'], { encoding: 'utf8' })).toBe(
      'a,b\r\n1,2\r\n',
    );
    const big = execFileSync('unzip', ['-p', file, ENTRIES[1]!.name]);
    expect(new Uint8Array(big)).toEqual(ENTRIES[1]!.data);
  });

  it('refuses names that climb out of the archive', () => {
    expect(() => createZip([{ name: '../x', data: text('x') }])).toThrow('unsafe');
    expect(() => createZip([{ name: '/etc/x', data: text('x') }])).toThrow('unsafe');
  });

  it('writes an empty archive as just the end record', () => {
    expect(createZip([])).toHaveLength(22);
  });
});

describe('zip reader', () => {
  it('reads back what the writer wrote, UTF-8 names included', () => {
    const bytes = createZip([...ENTRIES, { name: 'visage é.txt', data: text('é') }]);
    expect(listZip(bytes).at(-1)!.name).toBe('visage é.txt');
    const listed = listZip(bytes);
    expect(listed.map((e) => e.name).slice(0, 3)).toEqual(ENTRIES.map((e) => e.name));
    listed.slice(0, 3).forEach((entry, i) => {
      expect(readZipEntry(bytes, entry, 1e6)).toEqual(ENTRIES[i]!.data);
    });
  });

  it.skipIf(!hasZip)('reads deflated entries written by the system zip', async () => {
    const source = path.join(dir, 'page.txt');
    await writeFile(source, 'face '.repeat(10_000));
    const file = path.join(dir, 'deflated.zip');
    execFileSync('zip', ['-j', '-q', file, source]);
    const bytes = new Uint8Array(await readFile(file));
    const [entry] = listZip(bytes);
    expect(entry!.method).toBe(8);
    expect(new TextDecoder().decode(readZipEntry(bytes, entry!, 1e6))).toBe('face '.repeat(10_000));
  });

  it('refuses damaged archives, entries over the size cap and bad checksums', () => {
    expect(() => listZip(text('not a zip at all'))).toThrow(ZipFormatError);
    const bytes = createZip(ENTRIES);
    const [csv] = listZip(bytes);
    expect(() => readZipEntry(bytes, csv!, 4)).toThrow('over 4 bytes');
    const corrupt = bytes.slice();
    corrupt[30 + 'report.csv'.length]! ^= 0xff;
    expect(() => readZipEntry(corrupt, csv!, 1e6)).toThrow('CRC');
  });
});
