/**
 * Sets subnormal float32 weights of an ONNX model to zero, in a copy of the model bytes. Some
 * shipped models hold thousands of them and x86 CPUs run several times slower on subnormals.
 */
import { readFields, WIRE, type WireField } from './protobuf-walk.ts';

// Field numbers from onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const NODE_ATTRIBUTE = 5;
const ATTRIBUTE_TENSOR = 5;
const ATTRIBUTE_GRAPH = 6;
const ATTRIBUTE_TENSORS = 10;
const ATTRIBUTE_GRAPHS = 11;
const TENSOR_DATA_TYPE = 2;
const TENSOR_FLOAT_DATA = 4;
const TENSOR_RAW_DATA = 9;
const DATA_TYPE_FLOAT = 1;

const EXPONENT_MASK = 0x7f800000;
const MANTISSA_MASK = 0x007fffff;

/** What flushing did: the new model bytes and how many floats it set to zero. */
export interface FlushResult {
  bytes: Uint8Array;
  flushed: number;
}

/** Zeroes every subnormal little-endian float32 in `bytes[start, end)`; returns the count. */
export function zeroSubnormalFloats(bytes: Uint8Array, start: number, end: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  for (let pos = start; pos + 4 <= end; pos += 4) {
    const bits = view.getUint32(pos, true);
    if ((bits & EXPONENT_MASK) === 0 && (bits & MANTISSA_MASK) !== 0) {
      view.setUint32(pos, 0, true);
      count++;
    }
  }
  return count;
}

function isSubMessage(entry: WireField, field: number): boolean {
  return entry.field === field && entry.wireType === WIRE.bytes;
}

function flushTensor(bytes: Uint8Array, start: number, end: number): number {
  const fields = readFields(bytes, start, end);
  const dataType = fields.find((f) => f.field === TENSOR_DATA_TYPE)?.value;
  if (dataType !== DATA_TYPE_FLOAT) {
    return 0;
  }
  let count = 0;
  for (const f of fields) {
    if (isSubMessage(f, TENSOR_RAW_DATA) || isSubMessage(f, TENSOR_FLOAT_DATA)) {
      count += zeroSubnormalFloats(bytes, f.start, f.end);
    }
  }
  return count;
}

function flushNode(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (const attr of readFields(bytes, start, end)) {
    if (!isSubMessage(attr, NODE_ATTRIBUTE)) {
      continue;
    }
    for (const f of readFields(bytes, attr.start, attr.end)) {
      if (isSubMessage(f, ATTRIBUTE_TENSOR) || isSubMessage(f, ATTRIBUTE_TENSORS)) {
        count += flushTensor(bytes, f.start, f.end);
      } else if (isSubMessage(f, ATTRIBUTE_GRAPH) || isSubMessage(f, ATTRIBUTE_GRAPHS)) {
        count += flushGraph(bytes, f.start, f.end);
      }
    }
  }
  return count;
}

function flushGraph(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (const f of readFields(bytes, start, end)) {
    if (isSubMessage(f, GRAPH_INITIALIZER)) {
      count += flushTensor(bytes, f.start, f.end);
    } else if (isSubMessage(f, GRAPH_NODE)) {
      count += flushNode(bytes, f.start, f.end);
    }
  }
  return count;
}

/**
 * Returns a copy of an ONNX model with subnormal float32 weights (initializers and constant
 * tensors, subgraphs included) set to zero. The encoding keeps its length, so nothing is
 * re-serialised. Throws RangeError when the bytes are not a well-formed protobuf message.
 */
export function flushSubnormalWeights(model: Uint8Array): FlushResult {
  const bytes = new Uint8Array(model);
  let flushed = 0;
  for (const f of readFields(bytes, 0, bytes.length)) {
    if (isSubMessage(f, MODEL_GRAPH)) {
      flushed += flushGraph(bytes, f.start, f.end);
    }
  }
  return { bytes, flushed };
}
