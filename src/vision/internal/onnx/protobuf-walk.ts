/**
 * Minimal protobuf wire-format walker: enough to visit the fields of an ONNX model in place,
 * without decoding or re-encoding it.
 */

/** Wire types of the protobuf encoding. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** One field occurrence: its number, wire type and where its payload lies in the buffer. */
export interface WireField {
  field: number;
  wireType: number;
  /** Start of the payload (after the length prefix for length-delimited fields). */
  start: number;
  /** End of the payload, exclusive. */
  end: number;
  /** Decoded value for varint fields; 0 otherwise. */
  value: number;
}

/** Reads a base-128 varint at `pos`; returns the value (exact up to 2^53) and the next offset. */
export function readVarint(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      return [value, i + 1];
    }
    scale *= 128;
  }
  throw new RangeError(`truncated varint at offset ${pos}`);
}

function payloadEnd(bytes: Uint8Array, wireType: number, pos: number): [number, number, number] {
  switch (wireType) {
    case WIRE.varint: {
      const [value, next] = readVarint(bytes, pos);
      return [pos, next, value];
    }
    case WIRE.fixed64:
      return [pos, pos + 8, 0];
    case WIRE.fixed32:
      return [pos, pos + 4, 0];
    case WIRE.bytes: {
      const [length, next] = readVarint(bytes, pos);
      return [next, next + length, 0];
    }
    default:
      throw new RangeError(`unsupported wire type ${wireType} at offset ${pos}`);
  }
}

/** Lists the fields of the message that occupies `bytes[start, end)`. */
export function readFields(bytes: Uint8Array, start: number, end: number): WireField[] {
  const fields: WireField[] = [];
  let pos = start;
  while (pos < end) {
    const [key, afterKey] = readVarint(bytes, pos);
    const wireType = key % 8;
    const [payloadStart, payloadStop, value] = payloadEnd(bytes, wireType, afterKey);
    if (payloadStop > end) {
      throw new RangeError(`field at offset ${pos} runs past its message`);
    }
    fields.push({
      field: Math.floor(key / 8),
      wireType,
      start: payloadStart,
      end: payloadStop,
      value,
    });
    pos = payloadStop;
  }
  return fields;
}
