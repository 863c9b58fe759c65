import { describe, expect, it } from 'vitest';
import {
  SCIM_SCHEMA_URNS,
  scimErrorSchema,
  scimListResponseSchema,
  scimPatchRequestSchema,
  scimUserSchema,
} from './scim.ts';

describe('scimUserSchema', () => {
  it('reads what lenient servers send: numeric id, string active, nulls, unknown attributes kept', () => {
    const user = scimUserSchema.parse({
      schemas: SCIM_SCHEMA_URNS.user,
      id: 42,
      UserName: 'Ann.Lee',
      active: 'False',
      name: null,
      emails: [{ value: 'ann@example.com', primary: 'true', type: null }],
      role: 'Learner',
      externalId: null,
    });
    expect(user).toMatchObject({
      schemas: [SCIM_SCHEMA_URNS.user],
      id: '42',
      userName: 'Ann.Lee',
      active: false,
      role: 'Learner',
      emails: [{ value: 'ann@example.com', primary: true }],
    });
    expect(user.name).toBeUndefined();
    expect(user.externalId).toBeUndefined();
  });

  it('accepts a POST body without id and rejects a user without userName', () => {
    expect(scimUserSchema.parse({ userName: 'a', active: true }).id).toBeUndefined();
    expect(scimUserSchema.safeParse({ id: '1', active: true }).success).toBe(false);
    expect(scimUserSchema.safeParse({ userName: 'a', active: 'maybe' }).success).toBe(false);
  });
});

describe('scimListResponseSchema', () => {
  it('reads an empty result without Resources as an empty list', () => {
    const list = scimListResponseSchema.parse({ schemas: [SCIM_SCHEMA_URNS.listResponse], totalResults: 0 });
    expect(list.Resources).toEqual([]);
    expect(list.startIndex).toBeUndefined();
  });

  it('reads lowercase resources and numeric strings', () => {
    const list = scimListResponseSchema.parse({ totalResults: '1', itemsPerPage: '1', resources: [{ id: 7, userName: 'x' }] });
    expect(list).toMatchObject({ totalResults: 1, itemsPerPage: 1, Resources: [{ id: '7', userName: 'x' }] });
  });
});

describe('scimPatchRequestSchema', () => {
  const schemas = [SCIM_SCHEMA_URNS.patchOp];

  it('lowercases capitalised ops', () => {
    const patch = scimPatchRequestSchema.parse({ schemas, Operations: [{ op: 'Replace', path: 'active', value: false }] });
    expect(patch.Operations).toEqual([{ op: 'replace', path: 'active', value: false }]);
  });

  it.each([
    ['an empty Operations list', { schemas, Operations: [] }],
    ['a remove without a path', { schemas, Operations: [{ op: 'remove' }] }],
    ['a missing PatchOp URN', { schemas: [SCIM_SCHEMA_URNS.user], Operations: [{ op: 'add', path: 'x', value: 1 }] }],
    ['an unknown op', { schemas, Operations: [{ op: 'move', path: 'x' }] }],
  ])('rejects %s', (_label, body) => {
    expect(scimPatchRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('scimErrorSchema', () => {
  it('reads a numeric status as the RFC string and tolerates missing schemas and scimType', () => {
    expect(scimErrorSchema.parse({ status: 409, detail: 'exists' })).toMatchObject({ status: '409', detail: 'exists' });
    expect(scimErrorSchema.parse({ schemas: [SCIM_SCHEMA_URNS.error], status: '400', scimType: 'invalidFilter' }).scimType).toBe(
      'invalidFilter',
    );
  });
});
