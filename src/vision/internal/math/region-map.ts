/**
 * Maps from a small network input back to the image it is cut from: an axis-aligned region
 * resized, or a square turned by an angle. Pixel centres sit at integers on both sides, as
 * a plain resize would place them; the maps feed `warpAffine`.
 */
import type { Affine } from './similarity-transform.ts';

/** An axis-aligned region in image pixels, edges at integers ({0, 0, W, H} is all). */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Output (u, v) of a `outWidth` × `outHeight` resize of `region` → source pixel (x, y). */
export function regionToSource(region: Region, outWidth: number, outHeight: number): Affine {
  const sx = region.width / outWidth;
  const sy = region.height / outHeight;
  return [sx, 0, region.left + 0.5 * sx - 0.5, 0, sy, region.top + 0.5 * sy - 0.5];
}

/** A square of `side` pixels centred on (x, y) (pixel-centre coordinates), turned by `angle`. */
export interface TurnedSquare {
  centreX: number;
  centreY: number;
  side: number;
  /** Radians; positive turns the square clockwise in the image (y points down). */
  angle: number;
}

/**
 * Output (u, v) of an `out` × `out` patch → source pixel, for a patch that shows `square`
 * upright: content turned by `square.angle` in the image comes out level.
 */
export function turnedSquareToSource(square: TurnedSquare, out: number): Affine {
  const s = square.side / out;
  const cos = Math.cos(square.angle) * s;
  const sin = Math.sin(square.angle) * s;
  const mid = (out - 1) / 2;
  return [
    cos,
    -sin,
    square.centreX - cos * mid + sin * mid,
    sin,
    cos,
    square.centreY - sin * mid - cos * mid,
  ];
}
