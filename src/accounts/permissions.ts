/**
 * Token permissions: the closed list of resources a token can be granted and the checks
 * between a token's grants and what a route needs.
 */
import type { Access, Permissions } from './account-context.ts';

/** Resources a token can hold permissions on; every authenticated route names one of these. */
export const RESOURCES = [
  'accounts',
  'tokens',
  'samples',
  'attributes',
  'faces',
  'lists',
  'matcher',
  'handlers',
  'verifiers',
  'events',
  'tasks',
  'images',
  'objects',
  'liveness',
  'sdk',
  'settings',
  'licenses',
] as const;

/** One resource name. */
export type Resource = (typeof RESOURCES)[number];

/** True when `granted` allows `access`. */
export function allows(granted: Permissions, access: Access): boolean {
  return granted[access.resource]?.includes(access.permission) ?? false;
}

/** True when every grant of `wanted` is also in `held`. */
export function isSubset(wanted: Permissions, held: Permissions): boolean {
  return Object.entries(wanted).every(([resource, actions]) =>
    (actions ?? []).every((permission) => allows(held, { resource, permission })),
  );
}

/** `permissions` without empty entries and duplicate actions, in a stable order. */
export function normalisePermissions(permissions: Permissions): Permissions {
  const out: Permissions = {};
  for (const resource of Object.keys(permissions).sort()) {
    const actions = [...new Set(permissions[resource] ?? [])].sort();
    if (actions.length > 0) {
      out[resource] = actions;
    }
  }
  return out;
}
