/**
 * Cuts the small network inputs out of a decoded image: an axis-aligned region resized, or a
 * square turned upright, both by bilinear sampling (outside the image reads black).
 */
import type { DecodedImage } from '../types.ts';
import { warpAffine } from './math/affine-warp.ts';
import {
  type Region,
  regionToSource,
  type TurnedSquare,
  turnedSquareToSource,
} from './math/region-map.ts';

function grid(image: DecodedImage) {
  return { width: image.width, height: image.height, channels: 3, data: image.data };
}

/** `region` of `image` resized to `width` × `height` RGB. */
export function sampleRegion(
  image: DecodedImage,
  region: Region,
  width: number,
  height: number,
): DecodedImage {
  const data = warpAffine(grid(image), regionToSource(region, width, height), width, height);
  return { width, height, data };
}

/** `square` of `image` turned upright and resized to `out` × `out` RGB. */
export function sampleTurnedSquare(
  image: DecodedImage,
  square: TurnedSquare,
  out: number,
): DecodedImage {
  const data = warpAffine(grid(image), turnedSquareToSource(square, out), out, out);
  return { width: out, height: out, data };
}

/** The centre of a box with integer pixel edges, in pixel-centre coordinates. */
export function boxCentre(rect: { x: number; y: number; width: number; height: number }) {
  return { x: rect.x + rect.width / 2 - 0.5, y: rect.y + rect.height / 2 - 0.5 };
}
