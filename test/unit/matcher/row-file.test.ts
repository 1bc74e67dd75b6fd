import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RowFile } from '../../../src/matcher/row-file.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lunette-rows-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rowOf = (seed: number) => Float32Array.from({ length: 4 }, (_, i) => seed + i / 8);

describe('row file', () => {
  it('reads back each row by position, also through views', () => {
    const rows = new RowFile(dir, 4);
    rows.write(2, rowOf(2));
    rows.write(0, rowOf(0));
    const wide = new Float32Array(12);
    wide.set(rowOf(7), 4);
    rows.write(1, wide.subarray(4, 8));
    const out = new Float32Array(12).subarray(8);
    expect([0, 1, 2].map((row) => [...rows.readInto(row, out)])).toEqual([
      [...rowOf(0)],
      [...rowOf(7)],
      [...rowOf(2)],
    ]);
    rows.copy(2, 0);
    expect(rows.readInto(0, new Float32Array(4))).toEqual(rowOf(2));
    rows.close();
  });

  it('keeps rows appended in batches and rewritten out of order', () => {
    const rows = new RowFile(dir, 4);
    for (let row = 0; row < 150; row++) {
      rows.write(row, rowOf(row));
    }
    rows.write(70, rowOf(-1));
    rows.write(149, rowOf(-2));
    rows.write(150, rowOf(150));
    const out = new Float32Array(4);
    const expected = (row: number) => rowOf(row === 70 ? -1 : row === 149 ? -2 : row);
    for (let row = 0; row <= 150; row++) {
      expect(rows.readInto(row, out)).toEqual(expected(row));
    }
    rows.close();
  });

  it('leaves no file behind, even while open', async () => {
    const rows = new RowFile(dir, 4);
    rows.write(0, rowOf(1));
    expect(await readdir(dir)).toEqual([]);
    rows.close();
  });

  it('refuses rows it never held and any use after close', () => {
    const rows = new RowFile(dir, 4);
    rows.write(0, rowOf(1));
    expect(() => rows.readInto(5, new Float32Array(4))).toThrow(/short read/);
    rows.close();
    expect(() => rows.readInto(0, new Float32Array(4))).toThrow(/after close/);
  });
});
