import { describe, expect, it } from 'vitest';
import { allows, isSubset } from '../../../src/accounts/index.ts';
import { normalisePermissions } from '../../../src/accounts/permissions.ts';
import { accessOf, defineRoute } from '../../../src/http/index.ts';

const handler = async () => ({ status: 200, json: {} });

describe('route access', () => {
  it.each([
    ['post', 'creation'],
    ['get', 'view'],
    ['head', 'view'],
    ['patch', 'modification'],
    ['put', 'modification'],
    ['delete', 'deletion'],
  ] as const)('derives %s → %s', (method, permission) => {
    const route = defineRoute({
      method,
      path: '/6/x',
      summary: '',
      resource: 'faces',
      responses: {},
      handler,
    });
    expect(accessOf(route)).toEqual({ resource: 'faces', permission });
  });

  it('lets a route override the permission its method implies', () => {
    const route = defineRoute({
      method: 'post',
      path: '/6/matcher/faces',
      summary: '',
      resource: 'matcher',
      permission: 'view',
      responses: {},
      handler,
    });
    expect(accessOf(route)).toEqual({ resource: 'matcher', permission: 'view' });
  });
});

describe('permissions', () => {
  const granted = { faces: ['view' as const, 'creation' as const], lists: ['view' as const] };

  it.each([
    [{ resource: 'faces', permission: 'view' }, true],
    [{ resource: 'faces', permission: 'creation' }, true],
    [{ resource: 'faces', permission: 'deletion' }, false],
    [{ resource: 'lists', permission: 'modification' }, false],
    [{ resource: 'samples', permission: 'view' }, false],
  ] as const)('allows %j: %s', (access, expected) => {
    expect(allows(granted, access)).toBe(expected);
  });

  it('says whether a grant is within another', () => {
    expect(isSubset({ faces: ['view'] }, granted)).toBe(true);
    expect(isSubset({}, granted)).toBe(true);
    expect(isSubset({ faces: ['deletion'] }, granted)).toBe(false);
    expect(isSubset({ samples: ['view'] }, granted)).toBe(false);
  });

  it('drops empty entries and duplicates in a stable order', () => {
    expect(normalisePermissions({ lists: [], faces: ['view', 'creation', 'view'] })).toEqual({
      faces: ['creation', 'view'],
    });
  });
});
