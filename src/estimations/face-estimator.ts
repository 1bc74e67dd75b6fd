/**
 * Runs the estimators a request asks for on one detected face, each at most once: those the
 * `face_quality` checks read run too. Face size and eye distance come free with the detection.
 */
import { type DecodedImage, type Detection, eyeDistance, type Vision } from '../vision/index.ts';
import type { EstimateOptions } from './estimate-options.ts';
import type { FaceEstimations } from './face-estimations.ts';
import { type CheckSource, plannedChecks, runFaceQualityChecks } from './face-quality-checks.ts';

/** Estimates one face as asked. */
export interface FaceEstimator {
  estimate(
    image: DecodedImage,
    detection: Detection,
    options: EstimateOptions,
  ): Promise<FaceEstimations>;
}

type Estimator = Exclude<CheckSource, 'detection'>;

function wanted(options: EstimateOptions): Set<Estimator> {
  const asked: Estimator[] = [];
  const flags = [
    [options.headPose, 'headPose'],
    [options.quality, 'quality'],
    [options.eyes, 'eyes'],
    [options.emotions, 'emotions'],
  ] as const;
  for (const [on, name] of flags) {
    if (on) {
      asked.push(name);
    }
  }
  if (options.faceQuality) {
    for (const check of plannedChecks(options.faceQuality)) {
      if (check.source !== 'detection') {
        asked.push(check.source);
      }
    }
  }
  return new Set(asked);
}

/** Creates the estimator over the vision pipeline. */
export function createFaceEstimator(vision: Vision): FaceEstimator {
  const run: Record<Estimator, (i: DecodedImage, d: Detection) => Promise<unknown>> = {
    headPose: (i, d) => vision.estimateHeadPose(i, d),
    quality: (i, d) => vision.estimateQuality(i, d),
    eyes: (i, d) => vision.estimateEyes(i, d),
    emotions: (i, d) => vision.estimateEmotions(i, d),
  };

  return {
    async estimate(image, detection, options) {
      const { rect } = detection;
      const out: FaceEstimations = {
        faceSize: Math.min(rect.width, rect.height),
        eyeDistance: eyeDistance(detection.landmarks5),
      };
      for (const name of wanted(options)) {
        Object.assign(out, { [name]: await run[name](image, detection) });
      }
      if (options.liveness) {
        out.liveness = await vision.estimateLiveness(image, detection, options.livenessThreshold);
      }
      if (options.faceQuality) {
        out.faceQuality = runFaceQualityChecks(out, options.faceQuality);
      }
      return out;
    },
  };
}
