/**
 * Decodes YuNet's anchor-free head outputs for one stride into scored boxes and landmarks, in
 * the pixels of the network input. One prior per grid cell, centred at (column, row) × stride.
 */
import type { Box } from './box-nms.ts';

/** The four output tensors of one stride, each flattened row-major over the grid. */
export interface StrideOutputs {
  stride: number;
  /** Grid columns: padded input width / stride. */
  columns: number;
  /** Class probability per cell, [cells]. */
  cls: Float32Array;
  /** Objectness probability per cell, [cells]. */
  obj: Float32Array;
  /** dx, dy (centre offset in strides) and log-width, log-height per cell, [cells × 4]. */
  bbox: Float32Array;
  /** Five (x, y) landmark offsets in strides from the cell corner, [cells × 10]. */
  kps: Float32Array;
}

/** A decoded face candidate in network-input pixels. */
export interface FaceCandidate {
  box: Box;
  score: number;
  landmarks: [number, number][];
}

const LANDMARKS = 5;

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** Score of one cell: the geometric mean of class and objectness probabilities. */
export function cellScore(cls: number, obj: number): number {
  return Math.sqrt(clamp01(cls) * clamp01(obj));
}

function decodeCell(out: StrideOutputs, cell: number, score: number): FaceCandidate {
  const { stride, bbox, kps } = out;
  const col = cell % out.columns;
  const row = Math.floor(cell / out.columns);
  const cx = (col + bbox[cell * 4]!) * stride;
  const cy = (row + bbox[cell * 4 + 1]!) * stride;
  const width = Math.exp(bbox[cell * 4 + 2]!) * stride;
  const height = Math.exp(bbox[cell * 4 + 3]!) * stride;
  const landmarks: [number, number][] = [];
  for (let k = 0; k < LANDMARKS; k++) {
    const base = cell * 10 + k * 2;
    landmarks.push([(col + kps[base]!) * stride, (row + kps[base + 1]!) * stride]);
  }
  return { box: { x: cx - width / 2, y: cy - height / 2, width, height }, score, landmarks };
}

/** Returns every cell of one stride whose score reaches `threshold`, decoded. */
export function decodeStride(out: StrideOutputs, threshold: number): FaceCandidate[] {
  const found: FaceCandidate[] = [];
  for (let cell = 0; cell < out.cls.length; cell++) {
    const score = cellScore(out.cls[cell]!, out.obj[cell]!);
    if (score >= threshold) {
      found.push(decodeCell(out, cell, score));
    }
  }
  return found;
}
