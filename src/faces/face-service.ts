/**
 * Faces: persons enrolled from temporary attributes, with their descriptor, metadata and list
 * links. Every change is committed to libSQL first, then mirrored into the matcher's gallery.
 */
import type { AttributeService } from '../attributes/index.ts';
import type { EnrolmentService } from '../enrolment/index.ts';
import { AppError, notFound } from '../errors/index.ts';
import type { ListRepository } from '../lists/list-repository.ts';
import type { Gallery } from '../matcher/index.ts';
import {
  descriptorsOf,
  type FaceDescriptor,
  type FaceQuery,
  type FaceRepository,
  type FaceRow,
} from './face-repository.ts';

/** Input of a new face. */
export interface CreateFaceInput {
  attributeId?: string;
  userData?: string;
  externalId?: string;
  listIds?: string[];
}

/** Attach or detach faces to or from a list. */
export interface LinkInput {
  action: 'attach' | 'detach';
  listId: string;
  faceIds: string[];
}

/** What the face service offers. */
export interface FaceService {
  create(accountId: string, input: CreateFaceInput): Promise<FaceRow>;
  /** `readScope`: the account to read from, or undefined for every account. */
  get(readScope: string | undefined, faceId: string): Promise<FaceRow>;
  query(readScope: string | undefined, q: FaceQuery): Promise<{ rows: FaceRow[]; count: number }>;
  update(
    accountId: string,
    faceId: string,
    patch: { userData?: string; externalId?: string },
  ): Promise<void>;
  remove(accountId: string, faceId: string): Promise<void>;
  link(accountId: string, input: LinkInput): Promise<void>;
}

/** What the face service depends on. */
export interface FaceServiceDeps {
  faces: FaceRepository;
  lists: ListRepository;
  attributes: AttributeService;
  gallery: Gallery;
  /** The lists' enrolment policies: a face that fails one is refused (422). */
  enrolment: Pick<EnrolmentService, 'assertAdmissible'>;
  /**
   * Descriptors of the other versions the box keeps (the served one, those being extracted
   * during an upgrade) from the face's samples, so coverage of a new version never regresses.
   */
  describeMore?: (sampleIds: string[], have: string[]) => Promise<FaceDescriptor[]>;
}

/**
 * Refuses a face that could never be matched: its attribute had a descriptor, but neither it
 * nor one described again from the samples is of the version matching serves.
 */
function assertServed(attributeVersion: string | undefined, versions: string[], served: string) {
  if (attributeVersion === undefined || versions.includes(served)) {
    return;
  }
  throw new AppError(
    'descriptor_version_not_served',
    `the attribute's descriptor is of version ${attributeVersion}, matching serves ${served}, ` +
      'and its samples are no longer stored to describe the face again; extract a new ' +
      'attribute from a new sample',
  );
}

/** Creates the face service. */
export function createFaceService(deps: FaceServiceDeps): FaceService {
  const { faces, lists, attributes, gallery, enrolment } = deps;
  const describeMore = deps.describeMore ?? (async () => []);

  async function requireLists(accountId: string, listIds: string[]): Promise<void> {
    const owned = await lists.existing(accountId, listIds);
    const missing = listIds.find((id) => !owned.has(id));
    if (missing) {
      throw notFound('list', missing);
    }
  }

  async function requireFaces(accountId: string, faceIds: string[]): Promise<void> {
    const owned = await faces.existing(accountId, faceIds);
    const missing = faceIds.find((id) => !owned.has(id));
    if (missing) {
      throw notFound('face', missing);
    }
  }

  async function get(readScope: string | undefined, faceId: string): Promise<FaceRow> {
    const face = await faces.find(readScope, faceId);
    if (!face) {
      throw notFound('face', faceId);
    }
    return face;
  }

  async function attach(accountId: string, listId: string, faceIds: string[]): Promise<void> {
    await faces.link(listId, faceIds);
    for (const version of gallery.heldVersions) {
      const vectors = await faces.descriptors(accountId, faceIds, version);
      for (const [faceId, vector] of vectors) {
        gallery.link(listId, faceId, vector, version);
      }
    }
  }

  return {
    get,
    query: (readScope, q) => faces.query(readScope, q),

    async create(accountId, input) {
      const listIds = [...new Set(input.listIds ?? [])];
      await requireLists(accountId, listIds);
      const attribute = input.attributeId
        ? await attributes.get(accountId, input.attributeId)
        : undefined;
      await enrolment.assertAdmissible(listIds, attribute?.sampleEstimations ?? []);
      const descriptor =
        attribute?.descriptor && attribute.descriptorVersion
          ? { version: attribute.descriptorVersion, vector: attribute.descriptor }
          : undefined;
      const sampleIds = attribute?.sampleIds ?? [];
      // An attribute of an older version is described again in the served one from its samples.
      const more = await describeMore(sampleIds, descriptor ? [descriptor.version] : []);
      const versions = [...(descriptor ? [descriptor.version] : []), ...more.map((d) => d.version)];
      assertServed(descriptor?.version, versions, gallery.servingVersion);
      const face = {
        faceId: crypto.randomUUID(),
        accountId,
        createTime: Date.now(),
        userData: input.userData ?? '',
        externalId: input.externalId,
        basicAttributes: attribute?.basicAttributes,
        sampleIds,
        listIds,
        descriptor,
        moreDescriptors: more,
      };
      await faces.insert(face);
      const all = descriptorsOf(face);
      for (const d of all) {
        for (const listId of listIds) {
          gallery.link(listId, face.faceId, d.vector, d.version);
        }
      }
      return { ...face, descriptorVersions: all.map((d) => d.version) };
    },

    async update(accountId, faceId, patch) {
      if (!(await faces.update(accountId, faceId, patch))) {
        throw notFound('face', faceId);
      }
    },

    async remove(accountId, faceId) {
      if (!(await faces.remove(accountId, faceId))) {
        throw notFound('face', faceId);
      }
      gallery.removeFace(faceId);
    },

    async link(accountId, input) {
      const faceIds = [...new Set(input.faceIds)];
      await requireLists(accountId, [input.listId]);
      await requireFaces(accountId, faceIds);
      if (input.action === 'attach') {
        return attach(accountId, input.listId, faceIds);
      }
      await faces.unlink(input.listId, faceIds);
      for (const faceId of faceIds) {
        gallery.unlink(input.listId, faceId);
      }
    },
  };
}
