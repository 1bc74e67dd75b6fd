/**
 * Head geometry read off the five detector landmarks (right eye, left eye, nose tip, right and
 * left mouth corner, the subject's sides): eye distance, the tilt of the eye line, and a coarse
 * head pose for when the pose network is not installed.
 */

/** An (x, y) point in image pixels. */
export type LandmarkPoint = readonly [number, number];

const DEGREES = 180 / Math.PI;

function midpoint(a: LandmarkPoint, b: LandmarkPoint): [number, number] {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

/** Distance between the eye centres, in pixels. */
export function eyeDistance(landmarks: readonly LandmarkPoint[]): number {
  const [right, left] = landmarks as [LandmarkPoint, LandmarkPoint];
  return Math.hypot(left[0] - right[0], left[1] - right[1]);
}

/**
 * Angle of the line from the right eye to the left eye, in degrees: 0 when level, positive when
 * the head leans clockwise in the image (the left eye sits lower).
 */
export function eyeLineRoll(landmarks: readonly LandmarkPoint[]): number {
  const [right, left] = landmarks as [LandmarkPoint, LandmarkPoint];
  return Math.atan2(left[1] - right[1], left[0] - right[0]) * DEGREES;
}

// Least-squares fits on 300 LFW photos against the pose network (residual 6.6° yaw, 7.2°
// pitch): degrees per unit of nose offset, and where the nose tip sits between the eye line
// (0) and the mouth line (1) when the pitch is 0.
const YAW_PER_OFFSET = -88;
const PITCH_PER_OFFSET = -77;
const LEVEL_NOSE_HEIGHT = 0.5;

/**
 * Coarse head pose from the landmarks alone, in degrees with the conventions of
 * {@link eyeLineRoll}: yaw from the nose's sideways offset from the face's midline, pitch from
 * its height between the eye and mouth lines. About 7° off the network on frontal-ish faces.
 */
export function landmarkHeadPose(landmarks: readonly LandmarkPoint[]) {
  const [re, le, nose, rm, lm] = landmarks as LandmarkPoint[] as [
    LandmarkPoint,
    LandmarkPoint,
    LandmarkPoint,
    LandmarkPoint,
    LandmarkPoint,
  ];
  const roll = eyeLineRoll(landmarks);
  const t = -roll / DEGREES;
  const level = (p: LandmarkPoint): [number, number] => [
    p[0] * Math.cos(t) - p[1] * Math.sin(t),
    p[0] * Math.sin(t) + p[1] * Math.cos(t),
  ];
  const eyes = midpoint(level(re), level(le));
  const mouth = midpoint(level(rm), level(lm));
  const n = level(nose);
  const span = Math.max(1e-6, eyeDistance(landmarks));
  const height = Math.max(1e-6, mouth[1] - eyes[1]);
  const offset = (n[0] - (eyes[0] + mouth[0]) / 2) / span;
  const drop = (n[1] - eyes[1]) / height - LEVEL_NOSE_HEIGHT;
  return { yaw: offset * YAW_PER_OFFSET, pitch: drop * PITCH_PER_OFFSET, roll };
}

// Where a face's outline lies around its landmarks (medians over 150 LFW detections): the box
// top 1.1 eye-to-mouth distances above the eye line, its bottom 0.78 below the mouth line,
// its sides 1.05 eye distances either side of the eyes' midpoint.
const OUTLINE = { above: 1.1, below: 0.78, side: 1.05 } as const;

/**
 * The four corners of the face's expected outline (forehead to chin, cheek to cheek), turned
 * with the eye line, from the five landmarks.
 */
export function faceOutline(landmarks: readonly LandmarkPoint[]): [number, number][] {
  const [re, le, , rm, lm] = landmarks as LandmarkPoint[] as LandmarkPoint[];
  const eyes = midpoint(re!, le!);
  const mouth = midpoint(rm!, lm!);
  const t = (eyeLineRoll(landmarks) * Math.PI) / 180;
  const across: [number, number] = [Math.cos(t), Math.sin(t)];
  const down: [number, number] = [-Math.sin(t), Math.cos(t)];
  const drop = (mouth[0] - eyes[0]) * down[0] + (mouth[1] - eyes[1]) * down[1];
  const half = OUTLINE.side * eyeDistance(landmarks);
  const rows = [-OUTLINE.above * drop, drop + OUTLINE.below * drop];
  return rows.flatMap((d) =>
    [-half, half].map((a): [number, number] => [
      eyes[0] + a * across[0] + d * down[0],
      eyes[1] + a * across[1] + d * down[1],
    ]),
  );
}
