/** Routes of `/6/matcher/faces` (stored references) and `/6/matcher/raw` (given descriptors). */
import * as z from 'zod';
import { DESCRIPTOR_LENGTH, decodeDescriptor, l2Normalise } from '../descriptors/index.ts';
import { AppError } from '../errors/index.ts';
import { EVENT_CANDIDATES, type EventCandidateSearch } from '../events/index.ts';
import { defineRoute, FLAG_QUERY, ID, type RouteDef } from '../http/index.ts';
import type { FaceMatch, MatchOptions, MatchService } from './match-service.ts';
import type { ReferenceResolver } from './reference-resolver.ts';

const FACE_FILTERS = z
  .strictObject({
    origin: z.literal('faces'),
    list_id: ID.optional(),
    face_ids: z.array(ID).min(1).max(1000).optional(),
  })
  .refine((f) => (f.list_id === undefined) !== (f.face_ids === undefined), {
    message: 'give exactly one of list_id or face_ids',
  });

const CANDIDATES = z
  .array(
    z.strictObject({
      filters: z.discriminatedUnion('origin', [FACE_FILTERS, EVENT_CANDIDATES]),
      limit: z.number().int().min(1).max(100).default(3),
      threshold: z.number().min(0).max(1).default(0),
    }),
  )
  .min(1)
  .max(10);

const FACES_BODY = z.strictObject({
  references: z
    .array(
      z.union([
        z.strictObject({ type: z.enum(['face', 'attribute', 'sample']), id: ID }),
        z.strictObject({ type: z.literal('event'), id: z.uuid() }),
      ]),
    )
    .min(1)
    .max(30),
  candidates: CANDIDATES,
});

const RAW_DESCRIPTOR = z
  .base64()
  .refine((s) => Buffer.from(s, 'base64').length === DESCRIPTOR_LENGTH * 4, {
    message: `must be ${DESCRIPTOR_LENGTH} little-endian float32 values, base64`,
  })
  .transform((s) => decodeDescriptor(Buffer.from(s, 'base64')))
  .refine((v) => v.every(Number.isFinite) && v.some((x) => x !== 0), {
    message: 'must hold finite values, not all zero',
  })
  .transform(l2Normalise);

const RAW_BODY = z.strictObject({
  references: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(64),
        descriptor: RAW_DESCRIPTOR,
        /** The version the descriptor was extracted with; refused unless matching serves it. */
        descriptor_version: z.string().min(1).max(64).optional(),
      }),
    )
    .min(1)
    .max(30),
  candidates: CANDIDATES,
});

/** `exact=1` scans every descriptor of a list even when the list has an index. */
const MATCH_QUERY = z.object({ exact: FLAG_QUERY.default(false) });

type Candidates = z.infer<typeof CANDIDATES>;
type Candidate = Candidates[number];
type FaceCandidate = Candidate & { filters: { origin: 'faces' } };

function candidateSets(candidates: FaceCandidate[]) {
  return candidates.map((c) => ({
    listId: c.filters.list_id,
    faceIds: c.filters.face_ids,
    limit: c.limit,
    threshold: c.threshold,
  }));
}

function faceResultView(result: FaceMatch[]) {
  return result.map((m) => ({
    face: {
      face_id: m.face.faceId,
      external_id: m.face.externalId ?? null,
      user_data: m.face.userData,
    },
    similarity: Number(m.similarity.toFixed(6)),
  }));
}

/**
 * Per candidate entry, in order: faces through the match service, past events
 * (`origin: "events"`) through the events module's search.
 */
async function matchCandidates(
  deps: { matcher: MatchService; events: EventCandidateSearch },
  readScope: string | undefined,
  descriptor: Float32Array,
  candidates: Candidates,
  options: MatchOptions,
) {
  const faces = candidates.filter((c): c is FaceCandidate => c.filters.origin === 'faces');
  const faceResults =
    faces.length > 0
      ? await deps.matcher.match(readScope, descriptor, candidateSets(faces), options)
      : [];
  const out = [];
  let nextFace = 0;
  for (const c of candidates) {
    const result =
      c.filters.origin === 'events'
        ? await deps.events(readScope, descriptor, { ...c, filters: c.filters })
        : faceResultView(faceResults[nextFace++] ?? []);
    out.push({ filters: c.filters, result });
  }
  return out;
}

/** Refuses a given descriptor of a version other than the served one. */
function assertServed(version: string | undefined, served: string): void {
  if (version !== undefined && version !== served) {
    throw new AppError(
      'descriptor_version_not_served',
      `descriptor version ${version} is not served; matching serves ${served}`,
    );
  }
}

/** Routes of the matcher; `servedVersion` is the descriptor version matching serves now. */
export function matcherRoutes(
  matcher: MatchService,
  resolve: ReferenceResolver,
  events: EventCandidateSearch,
  servedVersion: () => string,
): RouteDef[] {
  const deps = { matcher, events };
  return [
    defineRoute({
      method: 'post',
      path: '/6/matcher/faces',
      summary: 'Match faces, attributes, samples or events against lists, face ids or events',
      resource: 'matcher',
      permission: 'view',
      query: MATCH_QUERY,
      body: { kind: 'json', schema: FACES_BODY },
      responses: { 201: 'per reference, per candidate set, best first', 404: 'unknown id' },
      handler: async ({ query, body, account }) => {
        const out = [];
        const options = { exact: query.exact };
        for (const reference of body.references) {
          const descriptor = await resolve(account, reference);
          const { readScope } = account;
          const matches = await matchCandidates(
            deps,
            readScope,
            descriptor,
            body.candidates,
            options,
          );
          out.push({ reference, matches });
        }
        return { status: 201, json: out };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/6/matcher/raw',
      summary: 'Match given base64 descriptors against lists or face ids',
      resource: 'matcher',
      permission: 'view',
      query: MATCH_QUERY,
      body: { kind: 'json', schema: RAW_BODY },
      responses: {
        201: 'per reference, per candidate set, best first',
        400: 'a descriptor of a version matching does not serve',
        404: 'unknown id',
      },
      handler: async ({ query, body, account }) => {
        const out = [];
        for (const reference of body.references) {
          assertServed(reference.descriptor_version, servedVersion());
        }
        for (const reference of body.references) {
          const matches = await matchCandidates(
            deps,
            account.readScope,
            reference.descriptor,
            body.candidates,
            { exact: query.exact },
          );
          out.push({ reference: { id: reference.id }, matches });
        }
        return { status: 201, json: out };
      },
    }),
  ];
}
