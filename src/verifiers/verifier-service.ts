/**
 * Verifiers: 1:1 checks of the faces in uploaded images against given faces, attributes or
 * events. Each face found gets, per reference, its similarity and whether it reaches the
 * verifier's threshold; faces the detect policy refuses are reported with their reasons.
 */
import { AppError, notFound } from '../errors/index.ts';
import type {
  Actor,
  Capabilities,
  FaceOutcome,
  FacePipeline,
  FilteredFace,
  ImageInput,
  ImageReport,
} from '../handlers/index.ts';
import { capabilityIssues } from '../handlers/index.ts';
import type { BasicAttributes, Rect } from '../vision/index.ts';
import type { VerifierContent, VerifierRepository, VerifierRow } from './verifier-repository.ts';

/** What a verification compares against. */
export interface VerificationTarget {
  type: 'face' | 'attribute' | 'event';
  id: string;
}

/** Turns a target into its descriptor; 404 for unknown ids. */
export type TargetResolver = (actor: Actor, target: VerificationTarget) => Promise<Float32Array>;

/** One comparison of a found face with one target. */
export interface Verification {
  target: VerificationTarget;
  similarity: number;
  /** True when `similarity` reaches the verifier's threshold. */
  status: boolean;
}

/** One face found in an image, with its comparisons. */
export interface VerifiedFace {
  filename: string;
  rect: Rect;
  score: number;
  basicAttributes: BasicAttributes | undefined;
  verifications: Verification[];
}

/** The answer of one verification request. */
export interface VerificationResult {
  faces: VerifiedFace[];
  filtered: FilteredFace[];
  images: ImageReport[];
}

/** What the verifier service depends on. */
export interface VerifierServiceDeps {
  verifiers: VerifierRepository;
  pipeline: FacePipeline;
  resolve: TargetResolver;
  similarity(a: Float32Array, b: Float32Array): number;
  capabilities: Capabilities;
}

/** Creates the verifier service. */
export function createVerifierService(deps: VerifierServiceDeps) {
  const { verifiers, pipeline, resolve } = deps;

  async function get(accountId: string, verifierId: string): Promise<VerifierRow> {
    const row = await verifiers.find(accountId, verifierId);
    if (!row) {
      throw notFound('verifier', verifierId);
    }
    return row;
  }

  function requireCapabilities(content: VerifierContent): void {
    const issues = capabilityIssues(content.policies, deps.capabilities).map((issue) => ({
      path: ['body', 'policies', ...issue.path].join('.'),
      code: 'unsupported',
      message: issue.message,
    }));
    if (issues.length > 0) {
      const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      throw new AppError('validation_failed', detail, { issues });
    }
  }

  async function resolveAll(actor: Actor, targets: VerificationTarget[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const target of targets) {
      vectors.push(await resolve(actor, target));
    }
    return vectors;
  }

  function compare(
    face: FaceOutcome,
    targets: VerificationTarget[],
    vectors: Float32Array[],
    threshold: number,
  ): VerifiedFace {
    return {
      filename: face.filename,
      rect: face.detection.rect,
      score: face.detection.score,
      basicAttributes: face.basic,
      verifications: targets.map((target, i) => {
        const similarity = deps.similarity(face.descriptor!, vectors[i]!);
        return { target, similarity, status: similarity >= threshold };
      }),
    };
  }

  async function verify(
    actor: Actor,
    verifierId: string,
    targets: VerificationTarget[],
    images: ImageInput[],
  ): Promise<VerificationResult> {
    const { policies } = await get(actor.accountId, verifierId);
    if (targets.length === 0) {
      throw new AppError('bad_request', 'give face_ids, attribute_ids or event_ids');
    }
    const vectors = await resolveAll(actor, targets);

    const extract = { extract_face_descriptor: true, ...policies.extract_policy };
    const output = await pipeline.run(images, {
      detect_policy: policies.detect_policy,
      extract_policy: extract,
    });
    const failed = output.images.filter((i) => i.status === 'failed');
    if (failed.length === output.images.length && failed[0]) {
      throw failed[0].error;
    }

    const threshold = policies.verification_threshold;
    const faces = output.faces.map((face) => compare(face, targets, vectors, threshold));
    return { faces, filtered: output.filtered, images: output.images };
  }

  return {
    get,
    verify,
    query: (accountId: string, page: number, pageSize: number) =>
      verifiers.query(accountId, page, pageSize),

    async create(accountId: string, content: VerifierContent): Promise<VerifierRow> {
      requireCapabilities(content);
      const now = Date.now();
      const row = {
        verifierId: crypto.randomUUID(),
        accountId,
        createTime: now,
        lastUpdateTime: now,
        ...content,
      };
      await verifiers.insert(row);
      return row;
    },

    async replace(accountId: string, verifierId: string, content: VerifierContent): Promise<void> {
      requireCapabilities(content);
      if (!(await verifiers.replace(accountId, verifierId, content, Date.now()))) {
        throw notFound('verifier', verifierId);
      }
    },

    async remove(accountId: string, verifierId: string): Promise<void> {
      if (!(await verifiers.remove(accountId, verifierId))) {
        throw notFound('verifier', verifierId);
      }
    },
  };
}

/** The verifier service. */
export type VerifierService = ReturnType<typeof createVerifierService>;
