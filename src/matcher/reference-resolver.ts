/** Turns a match reference (a face, an attribute or a sample) into its unit descriptor. */
import type { AttributeService } from '../attributes/index.ts';
import { AppError, notFound } from '../errors/index.ts';
import type { FaceRepository } from '../faces/face-repository.ts';
import type { SampleService } from '../samples/index.ts';
import type { Vision } from '../vision/index.ts';

/** What a match starts from. */
export interface Reference {
  type: 'face' | 'attribute' | 'sample' | 'event';
  id: string;
}

/**
 * Whose references resolve: attributes and samples of `accountId` only; faces of `readScope`
 * (the account itself, or undefined for every account).
 */
export interface ResolveScope {
  accountId: string;
  readScope: string | undefined;
}

/** Resolves references of one account to descriptors of the current version. */
export type ReferenceResolver = (scope: ResolveScope, ref: Reference) => Promise<Float32Array>;

/** What resolving references needs. */
export interface ResolverDeps {
  faces: FaceRepository;
  attributes: AttributeService;
  samples: SampleService;
  vision: Vision;
  /** Descriptors of stored events (the events module); `readScope` as for faces. */
  events: { descriptorOf(readScope: string | undefined, eventId: string): Promise<Float32Array> };
}

/** Creates the resolver. */
export function createReferenceResolver(deps: ResolverDeps): ReferenceResolver {
  return async ({ accountId, readScope }, ref) => {
    const version = deps.vision.descriptorVersion;
    switch (ref.type) {
      case 'face': {
        const found = await deps.faces.descriptors(readScope, [ref.id], version);
        const vector = found.get(ref.id);
        if (!vector) {
          const exists = await deps.faces.existing(readScope, [ref.id]);
          throw exists.size > 0
            ? new AppError('descriptor_missing', `face ${ref.id} has no ${version} descriptor`)
            : notFound('face', ref.id);
        }
        return vector;
      }
      case 'attribute': {
        const record = await deps.attributes.get(accountId, ref.id);
        if (record.descriptor && record.descriptorVersion !== version) {
          throw new AppError(
            'descriptor_version_not_served',
            `attribute ${ref.id} holds a ${record.descriptorVersion} descriptor; ` +
              `matching serves ${version}`,
          );
        }
        if (!record.descriptor) {
          throw new AppError('descriptor_missing', `attribute ${ref.id} has no descriptor`);
        }
        return record.descriptor;
      }
      case 'event':
        return deps.events.descriptorOf(readScope, ref.id);
      case 'sample': {
        const crops = await deps.samples.loadCrops(accountId, [ref.id]);
        const [vector] = await deps.vision.extract(crops);
        return vector!;
      }
    }
  };
}
