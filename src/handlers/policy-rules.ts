/**
 * Rules between policies that one field's schema cannot see: a filter on age needs basic
 * attributes, a `match` filter needs its label in the match policy, head-pose limits need the
 * head pose, and so on. Pure; each issue names the JSON path of the offending field.
 */

/** One broken rule: where, and what to do about it. */
export interface PolicyIssue {
  path: (string | number)[];
  message: string;
}

/** What the estimators of this appliance can do (liveness and head pose arrive with issue 7). */
export interface Capabilities {
  liveness: boolean;
  headPose: boolean;
}

interface FiltersLike {
  age__gte?: number;
  age__lt?: number;
  gender?: number;
  liveness?: string[];
  match?: { label: string }[];
}

interface WithFilters {
  filters: FiltersLike;
}

/** The parts of parsed policies the rules read. */
export interface PoliciesLike {
  detect_policy: {
    estimate_basic_attributes: boolean;
    estimate_liveness: boolean;
    estimate_head_pose: boolean;
    yaw_threshold?: number;
    pitch_threshold?: number;
    roll_threshold?: number;
  };
  extract_policy: { extract_face_descriptor: boolean; extract_basic_attributes: boolean };
  match_policy: { label: string }[];
  storage_policy: {
    face_sample_policy: WithFilters;
    image_origin_policy: WithFilters;
    attribute_policy: WithFilters;
    face_policy: WithFilters & { store_face: boolean; link_to_lists_policy: WithFilters[] };
    event_policy: WithFilters;
  };
  conditional_tags_policy: WithFilters[];
}

type Path = (string | number)[];

/** Every `filters` object of the policies with its path. */
export function filterSites(p: PoliciesLike): { path: Path; filters: FiltersLike }[] {
  const storage = ['storage_policy'];
  const s = p.storage_policy;
  return [
    { path: [...storage, 'face_sample_policy', 'filters'], filters: s.face_sample_policy.filters },
    {
      path: [...storage, 'image_origin_policy', 'filters'],
      filters: s.image_origin_policy.filters,
    },
    { path: [...storage, 'attribute_policy', 'filters'], filters: s.attribute_policy.filters },
    { path: [...storage, 'face_policy', 'filters'], filters: s.face_policy.filters },
    ...s.face_policy.link_to_lists_policy.map((l, i) => ({
      path: [...storage, 'face_policy', 'link_to_lists_policy', i, 'filters'],
      filters: l.filters,
    })),
    { path: [...storage, 'event_policy', 'filters'], filters: s.event_policy.filters },
    ...p.conditional_tags_policy.map((t, i) => ({
      path: ['conditional_tags_policy', i, 'filters'],
      filters: t.filters,
    })),
  ];
}

function headPoseIssues(p: PoliciesLike): PolicyIssue[] {
  const d = p.detect_policy;
  const limits = ['yaw_threshold', 'pitch_threshold', 'roll_threshold'] as const;
  return d.estimate_head_pose
    ? []
    : limits
        .filter((key) => d[key] !== undefined)
        .map((key) => ({
          path: ['detect_policy', key],
          message: `set detect_policy.estimate_head_pose to use ${key}`,
        }));
}

function descriptorIssues(p: PoliciesLike): PolicyIssue[] {
  return p.match_policy.length > 0 && !p.extract_policy.extract_face_descriptor
    ? [
        {
          path: ['extract_policy', 'extract_face_descriptor'],
          message: 'match_policy needs extract_face_descriptor',
        },
      ]
    : [];
}

function filterIssues(p: PoliciesLike, path: Path, f: FiltersLike): PolicyIssue[] {
  const basic =
    p.detect_policy.estimate_basic_attributes || p.extract_policy.extract_basic_attributes;
  const labels = new Set(p.match_policy.map((m) => m.label));
  const issues: PolicyIssue[] = [];
  for (const key of ['age__gte', 'age__lt', 'gender'] as const) {
    if (f[key] !== undefined && !basic) {
      issues.push({ path: [...path, key], message: `a ${key} filter needs basic attributes` });
    }
  }
  if (f.liveness && !p.detect_policy.estimate_liveness) {
    issues.push({
      path: [...path, 'liveness'],
      message: 'a liveness filter needs detect_policy.estimate_liveness',
    });
  }
  (f.match ?? []).forEach((m, i) => {
    if (!labels.has(m.label)) {
      issues.push({
        path: [...path, 'match', i, 'label'],
        message: `label '${m.label}' is not in match_policy`,
      });
    }
  });
  return issues;
}

function linkIssues(p: PoliciesLike): PolicyIssue[] {
  const face = p.storage_policy.face_policy;
  return face.link_to_lists_policy.length > 0 && !face.store_face
    ? [
        {
          path: ['storage_policy', 'face_policy', 'link_to_lists_policy'],
          message: 'linking to lists needs face_policy.store_face',
        },
      ]
    : [];
}

/** Every cross-field rule the policies break. */
export function policyRuleIssues(p: PoliciesLike): PolicyIssue[] {
  return [
    ...headPoseIssues(p),
    ...descriptorIssues(p),
    ...filterSites(p).flatMap((site) => filterIssues(p, site.path, site.filters)),
    ...linkIssues(p),
  ];
}

/** Estimations the policies ask for that this appliance cannot do yet. */
export function capabilityIssues(
  p: Pick<PoliciesLike, 'detect_policy'>,
  can: Capabilities,
): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  if (p.detect_policy.estimate_liveness && !can.liveness) {
    issues.push({
      path: ['detect_policy', 'estimate_liveness'],
      message: 'liveness estimation is not available on this appliance',
    });
  }
  if (p.detect_policy.estimate_head_pose && !can.headPose) {
    issues.push({
      path: ['detect_policy', 'estimate_head_pose'],
      message: 'head pose estimation is not available on this appliance',
    });
  }
  return issues;
}
