/** Routes of the detector and of stored face samples. */
import * as z from 'zod';
import {
  ESTIMATE_QUERY_FIELDS,
  estimateOptionsFrom,
  estimationsView,
} from '../estimations/index.ts';
import { defineRoute, idParams, isoTime, type RouteDef, roundTo } from '../http/index.ts';
import type { SampleRow, StoredDetection } from './sample-repository.ts';
import type { ImageOutcome, SampleService } from './sample-service.ts';

const DETECT_QUERY = z.object({
  multiface_policy: z.enum(['0', '1', '2']).default('1').transform(Number),
  score_threshold: z.coerce.number().min(0).max(1).default(0.5),
  ...ESTIMATE_QUERY_FIELDS,
});

const SAMPLE_PARAMS = idParams('sample_id');

/** The API view of a sample. */
export function sampleView(row: SampleRow) {
  return {
    sample_id: row.sampleId,
    url: `/6/samples/faces/${row.sampleId}`,
    create_time: isoTime(row.createTime),
    detection: detectionView(row.detection),
    ...(row.estimations ? { estimations: estimationsView(row.estimations) } : {}),
  };
}

function detectionView(d: StoredDetection) {
  return {
    rect: {
      x: roundTo(d.rect.x, 2),
      y: roundTo(d.rect.y, 2),
      width: roundTo(d.rect.width, 2),
      height: roundTo(d.rect.height, 2),
    },
    score: roundTo(d.score, 4),
    landmarks5: d.landmarks5.map(([x, y]) => [roundTo(x, 2), roundTo(y, 2)]),
  };
}

function outcomeView(outcome: ImageOutcome) {
  if (outcome.status === 'failed') {
    return { filename: outcome.filename, status: 'failed', error: outcome.error.toJSON() };
  }
  return {
    filename: outcome.filename,
    status: 'ok',
    detections: { samples: outcome.samples.map(sampleView) },
  };
}

/** Routes of `/6/detector` and `/6/samples/faces`. */
export function sampleRoutes(samples: SampleService): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/detector',
      summary: 'Detect faces in images and store each as a sample',
      resource: 'samples',
      query: DETECT_QUERY,
      body: { kind: 'images' },
      responses: { 201: 'per image, the samples found', 400: 'bad image', 415: 'bad type' },
      handler: async ({ query, body, account }) => {
        const outcomes = await samples.detectImages(account.accountId, body, {
          multifacePolicy: query.multiface_policy as 0 | 1 | 2,
          scoreThreshold: query.score_threshold,
          estimate: estimateOptionsFrom(query),
        });
        const allFailed = outcomes.every((o) => o.status === 'failed');
        if (allFailed && outcomes[0]?.status === 'failed') {
          throw outcomes[0].error;
        }
        return { status: 201, json: { images: outcomes.map(outcomeView) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/6/samples/faces/:sample_id',
      summary: 'The warped 112×112 JPEG of a sample',
      resource: 'samples',
      params: SAMPLE_PARAMS,
      responses: { 200: 'image/jpeg', 404: 'no such sample' },
      handler: async ({ params, account }) => {
        const jpeg = await samples.readSampleImage(account.accountId, params.sample_id);
        return new Response(jpeg, { headers: { 'Content-Type': 'image/jpeg' } });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/6/samples/faces/:sample_id',
      summary: 'Delete a sample and its image (refused while a face holds it)',
      resource: 'samples',
      params: SAMPLE_PARAMS,
      responses: { 204: 'deleted', 404: 'no such sample', 409: 'a face holds the sample' },
      handler: async ({ params, account }) => {
        await samples.deleteSample(account.accountId, params.sample_id);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}
