/** Routes of `/6/matcher/faces` (stored references) and `/6/matcher/raw` (given descriptors). */
import * as z from 'zod';
import { DESCRIPTOR_LENGTH, decodeDescriptor, l2Normalise } from '../descriptors/index.ts';
import { defineRoute, ID, type RouteDef } from '../http/index.ts';
import type { FaceMatch, MatchService } from './match-service.ts';
import type { ReferenceResolver } from './reference-resolver.ts';

const FACE_FILTERS = z
  .object({
    origin: z.literal('faces'),
    list_id: ID.optional(),
    face_ids: z.array(ID).min(1).max(1000).optional(),
  })
  .refine((f) => (f.list_id === undefined) !== (f.face_ids === undefined), {
    message: 'give exactly one of list_id or face_ids',
  });

const CANDIDATES = z
  .array(
    z.object({
      filters: FACE_FILTERS,
      limit: z.number().int().min(1).max(100).default(3),
      threshold: z.number().min(0).max(1).default(0),
    }),
  )
  .min(1)
  .max(10);

const FACES_BODY = z.object({
  references: z
    .array(z.object({ type: z.enum(['face', 'attribute', 'sample']), id: ID }))
    .min(1)
    .max(30),
  candidates: CANDIDATES,
});

const RAW_DESCRIPTOR = z
  .base64()
  .refine((s) => Buffer.from(s, 'base64').length === DESCRIPTOR_LENGTH * 4, {
    message: `must be ${DESCRIPTOR_LENGTH} little-endian float32 values, base64`,
  })
  .transform((s) => l2Normalise(decodeDescriptor(Buffer.from(s, 'base64'))));

const RAW_BODY = z.object({
  references: z
    .array(z.object({ id: z.string().min(1).max(64), descriptor: RAW_DESCRIPTOR }))
    .min(1)
    .max(30),
  candidates: CANDIDATES,
});

type Candidates = z.infer<typeof CANDIDATES>;

function candidateSets(candidates: Candidates) {
  return candidates.map((c) => ({
    listId: c.filters.list_id,
    faceIds: c.filters.face_ids,
    limit: c.limit,
    threshold: c.threshold,
  }));
}

function matchesView(candidates: Candidates, results: FaceMatch[][]) {
  return results.map((result, i) => ({
    filters: candidates[i]!.filters,
    result: result.map((m) => ({
      face: {
        face_id: m.face.faceId,
        external_id: m.face.externalId ?? null,
        user_data: m.face.userData,
      },
      similarity: Number(m.similarity.toFixed(6)),
    })),
  }));
}

/** Routes of the matcher. */
export function matcherRoutes(matcher: MatchService, resolve: ReferenceResolver): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/6/matcher/faces',
      summary: 'Match faces, attributes or samples against lists or face ids',
      resource: 'matcher',
      body: { kind: 'json', schema: FACES_BODY },
      responses: { 201: 'per reference, per candidate set, best first', 404: 'unknown id' },
      handler: async ({ body, account }) => {
        const sets = candidateSets(body.candidates);
        const out = [];
        for (const reference of body.references) {
          const descriptor = await resolve(account.accountId, reference);
          const results = await matcher.match(account.accountId, descriptor, sets);
          out.push({ reference, matches: matchesView(body.candidates, results) });
        }
        return { status: 201, json: out };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/6/matcher/raw',
      summary: 'Match given base64 descriptors against lists or face ids',
      resource: 'matcher',
      body: { kind: 'json', schema: RAW_BODY },
      responses: { 201: 'per reference, per candidate set, best first', 404: 'unknown id' },
      handler: async ({ body, account }) => {
        const sets = candidateSets(body.candidates);
        const out = [];
        for (const reference of body.references) {
          const results = await matcher.match(account.accountId, reference.descriptor, sets);
          out.push({
            reference: { id: reference.id },
            matches: matchesView(body.candidates, results),
          });
        }
        return { status: 201, json: out };
      },
    }),
  ];
}
