/**
 * From images to judged faces: decode, detect, apply the detect policy (reporting every refused
 * face with its reasons), warp, and estimate what the policies ask for: head pose, liveness,
 * basic attributes, descriptor. Shared by handlers and verifiers.
 */
import type { BasicAttributes } from '../attributes/index.ts';
import { AppError } from '../errors/index.ts';
import type { FilterReason, HeadPose, LivenessEstimate, LivenessState } from '../events/index.ts';
import type { DecodedImage, Detection, FaceCrop, Rect, Vision } from '../vision/index.ts';
import { detectionReasons, splitMultiface } from './detect-filter.ts';
import type { Capabilities } from './policy-rules.ts';
import type { DetectPolicy, Policies } from './policy-schema.ts';

/** Liveness and head pose as issue 7 adds them to Vision; optional until they exist. */
export interface PolicyEstimators {
  estimateLiveness?(
    image: DecodedImage,
    detection: Detection,
  ): Promise<{ prediction: LivenessState; probability: number; reason?: string }>;
  estimateHeadPose?(image: DecodedImage, detection: Detection): Promise<HeadPose>;
}

/** The vision pipeline as handlers use it. */
export type PipelineVision = Vision & PolicyEstimators;

/** What this vision pipeline can estimate beyond the basics. */
export function capabilitiesOf(vision: PipelineVision): Capabilities {
  return {
    liveness: typeof vision.estimateLiveness === 'function',
    headPose: typeof vision.estimateHeadPose === 'function',
  };
}

/** One uploaded image: a photo (optionally with face boxes) or an already warped sample. */
export interface ImageInput {
  filename: string;
  bytes: Uint8Array;
  contentType: string;
  imageType: 'raw' | 'sample';
  /** Only faces whose centre lies in one of these boxes are taken, the best per box. */
  boundingBoxes?: Rect[];
}

/** One face that passed the detect policy, with what was estimated for it. */
export interface FaceOutcome {
  imageIndex: number;
  filename: string;
  detection: Detection;
  sourceSize: { width: number; height: number };
  crop: FaceCrop;
  headPose?: HeadPose;
  liveness?: LivenessEstimate;
  basic?: BasicAttributes;
  descriptor?: Float32Array;
}

/** A face the detect policy refused, and why. */
export interface FilteredFace {
  filename: string;
  rect: Rect;
  score: number;
  reasons: FilterReason[];
}

/** What became of one image. */
export type ImageReport =
  | { filename: string; status: 'ok'; faces: number; filtered: number }
  | { filename: string; status: 'failed'; error: AppError };

/** Faces, refused faces and per-image reports of one request. */
export interface PipelineOutput {
  faces: FaceOutcome[];
  filtered: FilteredFace[];
  images: ImageReport[];
}

/** Policies the pipeline follows. */
export type PipelinePolicies = Pick<Policies, 'detect_policy' | 'extract_policy'>;

/** Lowest detector score looked at; faces between it and `score_threshold` are reported. */
const DETECTION_FLOOR = 0.5;
const SAMPLE_SIZE = 112;

interface Judged {
  detection: Detection;
  rect: Rect;
  headPose?: HeadPose;
}

function centreIn(rect: Rect, box: Rect): boolean {
  const x = rect.x + rect.width / 2;
  const y = rect.y + rect.height / 2;
  return x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
}

/** The best detection per box (detections come best first). */
function inBoxes(detections: Detection[], boxes: Rect[] | undefined): Detection[] {
  if (!boxes) {
    return detections;
  }
  const picked = boxes.map((box) => detections.find((d) => centreIn(d.rect, box)));
  return [...new Set(picked.filter((d): d is Detection => d !== undefined))];
}

function sampleDetection(image: DecodedImage): Detection {
  if (image.width !== SAMPLE_SIZE || image.height !== SAMPLE_SIZE) {
    throw new AppError(
      'bad_request',
      `a sample must be a ${SAMPLE_SIZE}×${SAMPLE_SIZE} warped face`,
    );
  }
  return {
    rect: { x: 0, y: 0, width: SAMPLE_SIZE, height: SAMPLE_SIZE },
    score: 1,
    landmarks5: [],
  };
}

/** Creates the pipeline over `vision`. */
export function createFacePipeline(vision: PipelineVision) {
  async function detectAll(image: DecodedImage, input: ImageInput, policy: DetectPolicy) {
    if (input.imageType === 'sample') {
      return [sampleDetection(image)];
    }
    const floor = Math.min(policy.score_threshold, DETECTION_FLOOR);
    return inBoxes(await vision.detect(image, { scoreThreshold: floor }), input.boundingBoxes);
  }

  async function judge(image: DecodedImage, input: ImageInput, d: Detection, policy: DetectPolicy) {
    const wantPose = policy.estimate_head_pose && input.imageType === 'raw';
    const headPose = wantPose ? await vision.estimateHeadPose?.(image, d) : undefined;
    const judged: Judged = { detection: d, rect: d.rect, headPose };
    return { judged, reasons: detectionReasons({ ...d, headPose }, policy) };
  }

  async function livenessOf(image: DecodedImage, input: ImageInput, d: Detection, p: DetectPolicy) {
    if (!p.estimate_liveness || input.imageType !== 'raw' || !vision.estimateLiveness) {
      return undefined;
    }
    const r = await vision.estimateLiveness(image, d);
    const real = r.probability >= p.liveness_threshold;
    const prediction: LivenessState =
      r.prediction === 'unknown' ? 'unknown' : real ? 'real' : 'spoof';
    return { prediction, probability: r.probability };
  }

  /** Detections of one image that pass the detect policy, and those refused with reasons. */
  async function sieve(image: DecodedImage, input: ImageInput, policy: DetectPolicy) {
    const refused: FilteredFace[] = [];
    const passed: Judged[] = [];
    for (const d of await detectAll(image, input, policy)) {
      const { judged, reasons } = await judge(image, input, d, policy);
      if (reasons.length === 0) {
        passed.push(judged);
      } else {
        refused.push({ filename: input.filename, rect: d.rect, score: d.score, reasons });
      }
    }
    const split = splitMultiface(passed, policy.multiface_policy);
    for (const { item, reason } of split.refused) {
      const { rect, score } = item.detection;
      refused.push({ filename: input.filename, rect, score, reasons: [reason] });
    }
    return { kept: split.kept, refused };
  }

  async function facesOfImage(input: ImageInput, imageIndex: number, policy: DetectPolicy) {
    const image = await vision.decode(input.bytes);
    const { kept, refused } = await sieve(image, input, policy);
    const faces: FaceOutcome[] = [];
    for (const { detection, headPose } of kept) {
      faces.push({
        imageIndex,
        filename: input.filename,
        detection,
        sourceSize: { width: image.width, height: image.height },
        crop: input.imageType === 'sample' ? image : await vision.warp(image, detection),
        headPose,
        liveness: await livenessOf(image, input, detection, policy),
      });
    }
    return { faces, filtered: refused };
  }

  async function estimate(faces: FaceOutcome[], policies: PipelinePolicies): Promise<void> {
    const crops = faces.map((f) => f.crop);
    const wantBasic =
      policies.detect_policy.estimate_basic_attributes ||
      policies.extract_policy.extract_basic_attributes;
    const basics = wantBasic && crops.length > 0 ? await vision.estimateBasic(crops) : undefined;
    const wantDescriptor = policies.extract_policy.extract_face_descriptor && crops.length > 0;
    const descriptors = wantDescriptor ? await vision.extract(crops) : undefined;
    faces.forEach((face, i) => {
      face.basic = basics?.[i];
      face.descriptor = descriptors?.[i];
    });
  }

  return {
    /** Runs the detect and extract policies over `images`; failed images are reported. */
    async run(images: ImageInput[], policies: PipelinePolicies): Promise<PipelineOutput> {
      const out: PipelineOutput = { faces: [], filtered: [], images: [] };
      for (const [index, input] of images.entries()) {
        try {
          const { faces, filtered } = await facesOfImage(input, index, policies.detect_policy);
          out.faces.push(...faces);
          out.filtered.push(...filtered);
          const counts = { faces: faces.length, filtered: filtered.length };
          out.images.push({ filename: input.filename, status: 'ok', ...counts });
        } catch (err) {
          if (!(err instanceof AppError)) {
            throw err;
          }
          out.images.push({ filename: input.filename, status: 'failed', error: err });
        }
      }
      await estimate(out.faces, policies);
      return out;
    },
  };
}

/** The face pipeline. */
export type FacePipeline = ReturnType<typeof createFacePipeline>;
