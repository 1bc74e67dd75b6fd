/**
 * The stateless SDK: decode each uploaded image, detect its faces and estimate what was asked
 * for every face. Nothing is stored. One failed image does not fail the others.
 */
import { AppError } from '../errors/index.ts';
import type { ImageUpload } from '../http/index.ts';
import type { Detection, Vision } from '../vision/index.ts';
import type { EstimateOptions } from './estimate-options.ts';
import type { FaceEstimations } from './face-estimations.ts';
import type { FaceEstimator } from './face-estimator.ts';

/** One face found and estimated. */
export interface EstimatedFace {
  detection: Detection;
  estimations: FaceEstimations;
}

/** The result for one uploaded image: its faces, or why it failed. */
export type EstimateOutcome =
  | { filename: string; status: 'ok'; faces: EstimatedFace[] }
  | { filename: string; status: 'failed'; error: AppError };

/** Options of one SDK request. */
export interface SdkOptions {
  scoreThreshold: number;
  estimate: EstimateOptions;
}

/** What the SDK service offers the routes. */
export interface SdkService {
  estimateImages(uploads: ImageUpload[], options: SdkOptions): Promise<EstimateOutcome[]>;
}

/** Creates the SDK service. */
export function createSdkService(vision: Vision, estimator: FaceEstimator): SdkService {
  async function estimateOne(upload: ImageUpload, options: SdkOptions): Promise<EstimatedFace[]> {
    const image = await vision.decode(upload.bytes);
    const detections = await vision.detect(image, { scoreThreshold: options.scoreThreshold });
    const faces: EstimatedFace[] = [];
    for (const detection of detections) {
      faces.push({
        detection,
        estimations: await estimator.estimate(image, detection, options.estimate),
      });
    }
    return faces;
  }

  return {
    async estimateImages(uploads, options) {
      const outcomes: EstimateOutcome[] = [];
      for (const upload of uploads) {
        try {
          outcomes.push({
            filename: upload.filename,
            status: 'ok',
            faces: await estimateOne(upload, options),
          });
        } catch (err) {
          if (!(err instanceof AppError)) {
            throw err;
          }
          outcomes.push({ filename: upload.filename, status: 'failed', error: err });
        }
      }
      return outcomes;
    },
  };
}
