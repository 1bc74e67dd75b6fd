import { describe, expect, it } from 'vitest';
import {
  flushSubnormalWeights,
  zeroSubnormalFloats,
} from '../../../src/vision/internal/onnx/flush-subnormals.ts';
import { readFields, readVarint } from '../../../src/vision/internal/onnx/protobuf-walk.ts';

// A tiny protobuf writer, enough to build ONNX-shaped messages.
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const field = (n: number, payload: number[]) => [
  ...varint(n * 8 + 2),
  ...varint(payload.length),
  ...payload,
];
const intField = (n: number, value: number) => [...varint(n * 8), ...varint(value)];
const floats = (bits: number[]) => {
  const bytes = new Uint8Array(bits.length * 4);
  bits.forEach((b, i) => {
    new DataView(bytes.buffer).setUint32(i * 4, b >>> 0, true);
  });
  return Array.from(bytes);
};
const tensor = (dataType: number, dataField: number, bits: number[]) => [
  ...intField(1, bits.length),
  ...intField(2, dataType),
  ...field(dataField, floats(bits)),
];

// Bit patterns: two subnormals (smallest positive, largest negative) among normal values.
const SUB_MIN = 0x00000001;
const SUB_NEG = 0x807fffff;
const NORMALS = [0x3f800000, 0x00000000, 0x80000000, 0x00800000, 0x7fc00000, 0xff800000];
const MIXED = [SUB_MIN, ...NORMALS, SUB_NEG];
const CLEANED = [0, ...NORMALS, 0];

function readBits(bytes: Uint8Array, start: number, count: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return Array.from({ length: count }, (_, i) => view.getUint32(start + i * 4, true));
}

describe('zeroSubnormalFloats', () => {
  it('zeroes subnormals of either sign and keeps normals, zeros, NaN and infinity', () => {
    const bytes = new Uint8Array(floats(MIXED));
    expect(zeroSubnormalFloats(bytes, 0, bytes.length)).toBe(2);
    expect(readBits(bytes, 0, MIXED.length)).toEqual(CLEANED.map((b) => b >>> 0));
  });
});

describe('flushSubnormalWeights', () => {
  const subgraph = field(5, tensor(1, 9, [SUB_MIN]));
  const model = new Uint8Array([
    ...intField(1, 8),
    ...field(2, [...new TextEncoder().encode('test')]),
    ...field(7, [
      ...field(5, tensor(1, 9, MIXED)),
      ...field(5, tensor(7, 9, [SUB_MIN, SUB_MIN])),
      ...field(1, field(5, field(5, tensor(1, 4, MIXED)))),
      ...field(1, field(5, field(6, subgraph))),
    ]),
  ]);

  it('zeroes subnormal floats in initializers, constant tensors and subgraphs', () => {
    const { bytes, flushed } = flushSubnormalWeights(model);
    expect(flushed).toBe(5);
    expect(bytes.length).toBe(model.length);
  });

  it('leaves non-float tensors and the input bytes untouched', () => {
    const before = model.slice();
    const { bytes } = flushSubnormalWeights(model);
    expect(model).toEqual(before);
    const changed = Array.from(bytes).filter((b, i) => b !== model[i]).length;
    // Five floats changed: SUB_MIN has one non-zero byte, SUB_NEG four.
    expect(changed).toBe(1 + 4 + 1 + 4 + 1);
  });

  it('refuses bytes that are not a protobuf message', () => {
    expect(() => flushSubnormalWeights(new Uint8Array([0x3a, 0x50, 0x01]))).toThrow(RangeError);
  });
});

describe('readVarint', () => {
  it.each([
    [[0x00], 0, 1],
    [[0x7f], 127, 1],
    [[0x80, 0x01], 128, 2],
    [[0xac, 0x02], 300, 2],
    [[0xff, 0xff, 0xff, 0xff, 0x0f], 2 ** 32 - 1, 5],
    [[0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 2 ** 35, 6],
  ])('%j → %d', (input, value, next) => {
    expect(readVarint(new Uint8Array(input), 0)).toEqual([value, next]);
  });

  it('refuses a truncated varint', () => {
    expect(() => readVarint(new Uint8Array([0x80, 0x80]), 0)).toThrow(RangeError);
  });
});

describe('readFields', () => {
  it('lists varint, fixed and length-delimited fields with their payload ranges', () => {
    const bytes = new Uint8Array([0x08, 0x96, 0x01, 0x12, 0x02, 0x61, 0x62, 0x1d, 1, 2, 3, 4]);
    expect(readFields(bytes, 0, bytes.length)).toEqual([
      { field: 1, wireType: 0, start: 1, end: 3, value: 150 },
      { field: 2, wireType: 2, start: 5, end: 7, value: 0 },
      { field: 3, wireType: 5, start: 8, end: 12, value: 0 },
    ]);
  });

  it('refuses a field that runs past the message', () => {
    expect(() => readFields(new Uint8Array([0x12, 0x05, 0x61]), 0, 3)).toThrow(RangeError);
  });
});
