/** Routes of the stateless SDK (`/6/sdk`) and of liveness (`/6/liveness`). */
import * as z from 'zod';
import { defineRoute, type RouteDef, roundTo } from '../http/index.ts';
import { DEFAULT_LIVENESS_THRESHOLD, type Rect } from '../vision/index.ts';
import {
  ESTIMATE_QUERY_FIELDS,
  type EstimateOptions,
  estimateOptionsFrom,
  NO_ESTIMATES,
} from './estimate-options.ts';
import { estimationsView, livenessView, round4 } from './estimation-view.ts';
import type { EstimatedFace, EstimateOutcome, SdkService } from './sdk-service.ts';

const SCORE_THRESHOLD = z.coerce.number().min(0).max(1).default(0.5);

const SDK_QUERY = z.object({ score_threshold: SCORE_THRESHOLD, ...ESTIMATE_QUERY_FIELDS });

const LIVENESS_QUERY = z.object({
  score_threshold: SCORE_THRESHOLD,
  liveness_threshold: z.coerce.number().min(0).max(1).default(DEFAULT_LIVENESS_THRESHOLD),
});

function rectView(rect: Rect) {
  const { x, y, width, height } = rect;
  return {
    x: roundTo(x, 2),
    y: roundTo(y, 2),
    width: roundTo(width, 2),
    height: roundTo(height, 2),
  };
}

function detectionView(face: EstimatedFace) {
  const { rect, score, landmarks5 } = face.detection;
  return {
    rect: rectView(rect),
    score: round4(score),
    landmarks5: landmarks5.map(([x, y]) => [roundTo(x, 2), roundTo(y, 2)]),
  };
}

function imagesView(outcomes: EstimateOutcome[], face: (f: EstimatedFace) => object) {
  const failedFirst = outcomes[0]?.status === 'failed' ? outcomes[0] : undefined;
  if (failedFirst && outcomes.every((o) => o.status === 'failed')) {
    throw failedFirst.error;
  }
  return outcomes.map((o) =>
    o.status === 'failed'
      ? { filename: o.filename, status: 'failed', error: o.error.toJSON() }
      : { filename: o.filename, status: 'ok', faces: o.faces.map(face) },
  );
}

function sdkFaceView(face: EstimatedFace) {
  return { detection: detectionView(face), estimations: estimationsView(face.estimations) };
}

function livenessFaceView(face: EstimatedFace) {
  return { detection: detectionView(face), ...livenessView(face.estimations.liveness!) };
}

const LIVENESS_ONLY = (threshold: number): EstimateOptions => ({
  ...NO_ESTIMATES,
  liveness: true,
  livenessThreshold: threshold,
});

/** Routes of `/6/sdk` and `/6/liveness`. */
export function estimationRoutes(sdk: SdkService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/sdk',
      summary: 'Detect faces and estimate what the estimate_* flags ask; nothing is stored',
      resource: 'sdk',
      permission: 'view',
      query: SDK_QUERY,
      body: { kind: 'images' },
      responses: { 200: 'per image, the faces and their estimations', 400: 'bad image' },
      handler: async ({ query, body }) => {
        const outcomes = await sdk.estimateImages(body, {
          scoreThreshold: query.score_threshold,
          estimate: estimateOptionsFrom(query),
        });
        return { status: 200, json: { images: imagesView(outcomes, sdkFaceView) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/6/liveness',
      summary: 'Liveness of every face in the images: real, spoof or unknown (with the reason)',
      resource: 'liveness',
      permission: 'view',
      query: LIVENESS_QUERY,
      body: { kind: 'images' },
      responses: { 200: 'per image, per face the prediction', 400: 'bad image' },
      handler: async ({ query, body }) => {
        const outcomes = await sdk.estimateImages(body, {
          scoreThreshold: query.score_threshold,
          estimate: LIVENESS_ONLY(query.liveness_threshold),
        });
        return { status: 200, json: { images: imagesView(outcomes, livenessFaceView) } };
      },
    }),
  ];
}
