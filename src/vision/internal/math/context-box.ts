/**
 * The context boxes of the anti-spoofing models: the face box scaled around its centre, shrunk
 * and shifted until it fits the frame (a scaled box never reaches past the image), and the test
 * for a face box that touches the frame edge.
 */
import type { Region } from './region-map.ts';

/** A face box, in image pixels with edges at integers. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * `box` scaled by `scale` around its centre, inside a `frameWidth` × `frameHeight` image: the
 * scale drops to the largest that fits, then the box slides inward where it crosses an edge.
 */
export function contextRegion(
  box: Box,
  scale: number,
  frameWidth: number,
  frameHeight: number,
): Region {
  const fit = Math.min(scale, frameWidth / box.width, frameHeight / box.height);
  const width = box.width * fit;
  const height = box.height * fit;
  const left = box.x + box.width / 2 - width / 2;
  const top = box.y + box.height / 2 - height / 2;
  return {
    left: Math.min(Math.max(0, left), frameWidth - width),
    top: Math.min(Math.max(0, top), frameHeight - height),
    width,
    height,
  };
}

/** True when `box` comes within `margin` pixels of an edge of the frame (it is likely cut). */
export function touchesFrameEdge(
  box: Box,
  frameWidth: number,
  frameHeight: number,
  margin: number,
): boolean {
  return (
    box.x <= margin ||
    box.y <= margin ||
    box.x + box.width >= frameWidth - margin ||
    box.y + box.height >= frameHeight - margin
  );
}
