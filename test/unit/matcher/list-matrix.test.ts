import { describe, expect, it } from 'vitest';
import { DESCRIPTOR_LENGTH, dot } from '../../../src/descriptors/index.ts';
import { ListMatrix } from '../../../src/matcher/index.ts';
import { randomUnit, seededGauss } from '../../helpers/synthetic-descriptors.ts';

const gauss = seededGauss(5);

describe('list matrix', () => {
  it.each(['f32', 'i8'] as const)('reports what set did (%s)', (precision) => {
    const matrix = new ListMatrix(precision);
    const a = randomUnit(gauss);
    expect(matrix.set('a', a)).toBe('added');
    expect(matrix.set('a', a.slice())).toBe('unchanged');
    expect(matrix.set('a', randomUnit(gauss))).toBe('changed');
    expect(matrix.size).toBe(1);
  });

  it('sees a float32 change too small to move the int8 row', () => {
    const matrix = new ListMatrix('i8');
    const a = randomUnit(gauss);
    matrix.set('a', a);
    const nudged = a.slice();
    nudged[0] = nudged[0]! + 1e-7;
    expect(matrix.set('a', nudged)).toBe('changed');
    const out = new Float32Array(DESCRIPTOR_LENGTH);
    matrix.unitVectorInto('a', out);
    expect(out).toEqual(nudged);
  });

  it.each(['f32', 'i8'] as const)('moves the last row into a deleted one (%s)', (precision) => {
    const matrix = new ListMatrix(precision);
    const vectors = Array.from({ length: 40 }, () => randomUnit(gauss));
    vectors.forEach((v, i) => {
      matrix.set(`id${i}`, v);
    });
    expect(matrix.delete('id3')).toBe(true);
    expect(matrix.delete('id3')).toBe(false);
    expect(matrix.size).toBe(39);
    expect(matrix.has('id3')).toBe(false);
    for (let i = 0; i < 40; i++) {
      if (i !== 3) {
        expect(matrix.score(`id${i}`, vectors[i]!)).toBe(dot(vectors[i]!, vectors[i]!));
      }
    }
  });

  it('keeps rows through growth and reserve', () => {
    const matrix = new ListMatrix();
    const vectors = Array.from({ length: 100 }, () => randomUnit(gauss));
    vectors.slice(0, 50).forEach((v, i) => {
      matrix.set(`id${i}`, v);
    });
    matrix.reserve(1000);
    vectors.slice(50).forEach((v, i) => {
      matrix.set(`id${i + 50}`, v);
    });
    expect(matrix.nativeRows().length).toBe(100 * DESCRIPTOR_LENGTH);
    expect(matrix.nativeRows().byteOffset).toBe(0);
    const out = new Float32Array(DESCRIPTOR_LENGTH);
    expect(matrix.unitVectorInto('id77', out)).toBe(true);
    expect([...out]).toEqual([...vectors[77]!]);
  });

  it('holds int8 rows in a quarter of the float32 bytes yet scores in float32', () => {
    const f32 = new ListMatrix('f32');
    const i8 = new ListMatrix('i8');
    const vectors = Array.from({ length: 64 }, () => randomUnit(gauss));
    vectors.forEach((v, i) => {
      f32.set(`id${i}`, v);
      i8.set(`id${i}`, v);
    });
    expect(i8.byteLength).toBeLessThan(f32.byteLength / 3.5);
    const query = vectors[10]!;
    for (let i = 0; i < vectors.length; i++) {
      expect(i8.score(`id${i}`, query)).toBe(dot(vectors[i]!, query));
      expect(i8.rowError(i)).toBeGreaterThan(0);
      expect(i8.rowError(i)).toBeLessThanOrEqual(i8.maxRowError);
    }
    expect(f32.maxRowError).toBe(0);
  });
});
