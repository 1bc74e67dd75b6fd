/**
 * Event generation, step by step: load the handler (or take a dynamic handler's request
 * policies) → run the detect and extract policies → group faces into events → match → tag →
 * plan storage → save every event of the request in one transaction, before answering
 * (`wait_saving`) or in the background.
 */
import { AppError } from '../errors/index.ts';
import type { EventRecord, EventWriter } from '../events/index.ts';
import { subjectOf, topMatchOf } from '../events/index.ts';
import type { Logger } from '../logger/index.ts';
import type { FaceCrop } from '../vision/index.ts';
import { tagsFor } from './conditional-tags.ts';
import { bundleEvent, type UploadedPhoto } from './event-bundle.ts';
import { draftEvent, type EventFace, groupFaces, type RequestFacts } from './event-draft.ts';
import { readExifInfo } from './exif-info.ts';
import type {
  FacePipeline,
  FilteredFace,
  ImageInput,
  ImageReport,
  PipelineOutput,
} from './face-pipeline.ts';
import type { HandlerRow } from './handler-repository.ts';
import type { Actor, HandlerService } from './handler-service.ts';
import type { PolicyMatcher } from './policy-matcher.ts';
import type { Policies } from './policy-schema.ts';
import { planStorage, type SkippedPart } from './storage-plan.ts';

/** A raw descriptor sent instead of an image. */
export interface DescriptorInput {
  filename: string;
  vector: Float32Array;
}

/** Request-level options (query string and `meta`). */
export interface GenerationOptions {
  source?: string;
  tags: string[];
  trackId?: string;
  externalId?: string;
  userData?: string;
  meta?: Record<string, unknown>;
  aggregate: boolean;
  useExif: boolean;
}

/** One event-generation request. */
export interface GenerationRequest {
  images: ImageInput[];
  descriptors: DescriptorInput[];
  /** The request's own policies, for dynamic handlers. */
  policies: Policies | undefined;
  options: GenerationOptions;
}

/** One generated event and what its storage policy refused. */
export interface GeneratedEvent {
  event: EventRecord;
  stored: boolean;
  skipped: SkippedPart[];
}

/** The answer of one request. */
export interface GenerationResult {
  events: GeneratedEvent[];
  filtered: FilteredFace[];
  images: ImageReport[];
}

/** What event generation depends on. */
export interface GeneratorDeps {
  handlers: HandlerService;
  pipeline: FacePipeline;
  matcher: PolicyMatcher;
  writer: EventWriter;
  vision: { descriptorVersion: string; encodeCrop(crop: FaceCrop): Promise<Uint8Array> };
  defaultTtlSeconds: number;
  logger: Logger;
}

/** One request on its way: what was sent, the policies in force, what the pipeline found. */
interface Run {
  request: GenerationRequest;
  policies: Policies;
  output: PipelineOutput;
}

function facesOf(output: PipelineOutput, descriptors: DescriptorInput[]): EventFace[] {
  const fromImages = output.faces.map((f) => ({ ...f, sampleId: crypto.randomUUID() }));
  const raw = descriptors.map((d) => ({
    imageIndex: undefined,
    filename: d.filename,
    sampleId: crypto.randomUUID(),
    descriptor: d.vector,
  }));
  return [...fromImages, ...raw];
}

function requireSomeImage(images: ImageReport[]): void {
  const failed = images.filter((i) => i.status === 'failed');
  if (images.length > 0 && failed.length === images.length && failed[0]) {
    throw failed[0].error;
  }
}

/** Creates the event generator. */
export function createEventGenerator(deps: GeneratorDeps) {
  const { handlers, pipeline, matcher, writer, vision, logger } = deps;

  async function policiesFor(actor: Actor, handler: HandlerRow, request: GenerationRequest) {
    if (!handler.isDynamic) {
      if (request.policies) {
        throw new AppError('bad_request', 'policies may be sent only to a dynamic handler');
      }
      return handler.policies;
    }
    if (!request.policies) {
      throw new AppError('bad_request', 'a dynamic handler needs policies in the request');
    }
    await handlers.validate(actor, request.policies, ['body', 'policies']);
    return request.policies;
  }

  function factsOf(actor: Actor, handlerId: string, request: GenerationRequest): RequestFacts {
    const o = request.options;
    return {
      accountId: actor.accountId,
      handlerId,
      source: o.source,
      trackId: o.trackId,
      externalId: o.externalId,
      userData: o.userData ?? '',
      meta: o.meta,
      exif: request.images.map((i) => (o.useExif ? readExifInfo(i.bytes) : undefined)),
    };
  }

  async function decide(
    event: EventRecord,
    p: Policies,
    actor: Actor,
    tags: string[],
    now: number,
  ) {
    const descriptor = event.descriptor?.vector;
    const matches = descriptor
      ? await matcher.match(actor.accountId, descriptor, p.match_policy, now)
      : [];
    const matched = { ...event, matches, topMatch: topMatchOf(matches) };
    const tagged = {
      ...matched,
      tags: tagsFor(tags, p.conditional_tags_policy, subjectOf(matched), now),
    };
    return { event: tagged, plan: planStorage(p.storage_policy, subjectOf(tagged), now) };
  }

  function save(bundles: Parameters<EventWriter['save']>[0], wait: boolean): Promise<void> {
    const saving = writer.save(bundles);
    if (wait) {
      return saving;
    }
    saving.catch((error: unknown) =>
      logger.error('event_save_failed', { events: bundles.map((b) => b.event.eventId), error }),
    );
    return Promise.resolve();
  }

  /** One bundle per event: drafted, matched, tagged, planned; with what the plan refused. */
  async function buildBundles(actor: Actor, handlerId: string, run: Run) {
    const now = Date.now();
    const facts = factsOf(actor, handlerId, run.request);
    const photos: UploadedPhoto[] = run.request.images;
    const ctx = {
      photos,
      encodeCrop: (crop: FaceCrop) => vision.encodeCrop(crop),
      defaultTtlSeconds: deps.defaultTtlSeconds,
      now,
    };
    const faces = facesOf(run.output, run.request.descriptors);
    const bundles = [];
    for (const group of groupFaces(faces, run.request.options.aggregate)) {
      const draft = draftEvent(group, facts, vision.descriptorVersion, now);
      const { event, plan } = await decide(
        draft,
        run.policies,
        actor,
        run.request.options.tags,
        now,
      );
      bundles.push({ ...(await bundleEvent(event, group, plan, ctx)), skipped: plan.skipped });
    }
    return bundles;
  }

  return {
    /**
     * Turns a request's images or descriptors into events through the handler's policies.
     * `read` reads the request body; it runs only once the handler is known to exist.
     */
    async generate(
      actor: Actor,
      handlerId: string,
      read: () => Promise<GenerationRequest>,
    ): Promise<GenerationResult> {
      const handler = await handlers.get(actor.accountId, handlerId);
      const request = await read();
      const policies = await policiesFor(actor, handler, request);

      const output = await pipeline.run(request.images, policies);
      requireSomeImage(output.images);
      const bundles = await buildBundles(actor, handlerId, { request, policies, output });

      await save(bundles, policies.storage_policy.event_policy.wait_saving);
      const events = bundles.map((b) => ({
        event: b.event,
        stored: b.storeEvent,
        skipped: b.skipped,
      }));
      return { events, filtered: output.filtered, images: output.images };
    },
  };
}

/** The event generator. */
export type EventGenerator = ReturnType<typeof createEventGenerator>;
