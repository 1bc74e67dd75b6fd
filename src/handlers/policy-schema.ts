/**
 * The policies of a handler, validated by zod: detect, extract, match, storage and conditional
 * tags. Parsing fills every default, and the parsed form parses again to itself, so handlers
 * store the parsed form and show it back. Cross-field rules live in policy-rules.ts.
 */
import * as z from 'zod';
import { EVENT_CANDIDATES, FACE_FILTERS, LABEL, TAG } from '../events/index.ts';
import { ID } from '../http/index.ts';
import { DEFAULT_THRESHOLD } from '../matcher/index.ts';
import { CALLBACKS } from '../sender/callback-schema.ts';
import { policyRuleIssues } from './policy-rules.ts';

/** A switch given as true/false or 1/0; parsed to a boolean. */
export const FLAG = z
  .union([z.boolean(), z.literal(0), z.literal(1)])
  .transform((v) => v === true || v === 1);

const SIMILARITY = z.number().min(0).max(1);
const ANGLE = z.number().min(0).max(180);
const FILTERS = FACE_FILTERS.prefault({});
const MAX_TTL_SECONDS = 30 * 24 * 3600;

/** How faces are found and which are kept; failing faces are reported, never dropped. */
export const DETECT_POLICY = z.strictObject({
  /** 0: one face only (several are all filtered), 1: every face, 2: the largest face. */
  multiface_policy: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
  score_threshold: z.number().min(0).max(1).default(0.5),
  /** Smallest accepted face: the shorter side of its box, in pixels. */
  face_size__gte: z.number().int().min(1).max(10_000).optional(),
  estimate_basic_attributes: FLAG.default(false),
  estimate_liveness: FLAG.default(false),
  /** Probability of "real" from which a face counts as real. */
  liveness_threshold: z.number().min(0).max(1).default(0.5),
  estimate_head_pose: FLAG.default(false),
  /** Largest accepted |yaw|, |pitch|, |roll| in degrees; need `estimate_head_pose`. */
  yaw_threshold: ANGLE.optional(),
  pitch_threshold: ANGLE.optional(),
  roll_threshold: ANGLE.optional(),
});

/** What is extracted from each kept face. */
export const EXTRACT_POLICY = z.strictObject({
  extract_face_descriptor: FLAG.default(true),
  extract_basic_attributes: FLAG.default(false),
});

/** `{"origin":"faces","list_id"}` or `{"origin":"faces","face_ids":[…]}`. */
export const FACE_CANDIDATES = z
  .strictObject({
    origin: z.literal('faces'),
    list_id: ID.optional(),
    face_ids: z.array(ID).min(1).max(1000).optional(),
  })
  .refine((f) => (f.list_id === undefined) !== (f.face_ids === undefined), {
    message: 'give exactly one of list_id or face_ids',
  });

/** One labelled match: candidates, result limit and similarity threshold. */
export const MATCH_ENTRY = z.strictObject({
  label: LABEL,
  candidates: z.discriminatedUnion('origin', [FACE_CANDIDATES, EVENT_CANDIDATES]),
  threshold: SIMILARITY.default(DEFAULT_THRESHOLD),
  limit: z.number().int().min(1).max(100).default(3),
});

/** What of each event is kept, each part under its own filters. */
export const STORAGE_POLICY = z.strictObject({
  face_sample_policy: z
    .strictObject({ store_sample: FLAG.default(true), filters: FILTERS })
    .prefault({}),
  image_origin_policy: z
    .strictObject({ store_image: FLAG.default(false), filters: FILTERS })
    .prefault({}),
  attribute_policy: z
    .strictObject({
      store_attribute: FLAG.default(false),
      ttl: z.number().int().min(1).max(MAX_TTL_SECONDS).optional(),
      filters: FILTERS,
    })
    .prefault({}),
  face_policy: z
    .strictObject({
      store_face: FLAG.default(false),
      set_sample_as_avatar: FLAG.default(true),
      link_to_lists_policy: z
        .array(z.strictObject({ list_id: ID, filters: FILTERS }))
        .max(100)
        .default([]),
      filters: FILTERS,
    })
    .prefault({}),
  event_policy: z
    .strictObject({
      store_event: FLAG.default(true),
      /** 1: answer after the event is committed; 0: answer first, commit in the background. */
      wait_saving: FLAG.default(true),
      filters: FILTERS,
    })
    .prefault({}),
  /** Where each stored event is sent (sender, issue 5). */
  callbacks: CALLBACKS,
});

/** Every policy of a handler, each optional with its defaults. */
export const POLICIES = z
  .strictObject({
    detect_policy: DETECT_POLICY.prefault({}),
    extract_policy: EXTRACT_POLICY.prefault({}),
    match_policy: z
      .array(MATCH_ENTRY)
      .max(10)
      .default([])
      .refine((m) => new Set(m.map((e) => e.label)).size === m.length, {
        message: 'labels must be unique',
      }),
    storage_policy: STORAGE_POLICY.prefault({}),
    conditional_tags_policy: z
      .array(z.strictObject({ tag: TAG, filters: FILTERS }))
      .max(100)
      .default([]),
  })
  .superRefine((policies, ctx) => {
    for (const issue of policyRuleIssues(policies)) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });

/** Parsed policies, defaults filled. */
export type Policies = z.output<typeof POLICIES>;
/** The detect policy. */
export type DetectPolicy = Policies['detect_policy'];
/** One labelled match entry. */
export type MatchEntry = Policies['match_policy'][number];
/** The storage policy. */
export type StoragePolicy = Policies['storage_policy'];
