import { describe, expect, it } from 'vitest';
import { normalizePatch, PATCH_OP_URN } from './patch.ts';
import { ScimRequestError } from './scim-request-error.ts';

describe('scim-client > PATCH normalization', () => {
  it('lowercases ops, adds the URN and keeps booleans as booleans', () => {
    const patch = normalizePatch({ Operations: [{ op: 'Replace', path: 'active', value: 'False' }, { op: 'REMOVE', path: 'externalId' }] });
    expect(patch).toEqual({
      schemas: [PATCH_OP_URN],
      Operations: [{ op: 'replace', path: 'active', value: false }, { op: 'remove', path: 'externalId' }],
    });
  });

  it('turns a pathless replace into one op per attribute with an explicit path', () => {
    const patch = normalizePatch({ schemas: [PATCH_OP_URN], Operations: [{ op: 'replace', value: { active: 'true', 'name.givenName': 'Ann' } }] });
    expect(patch.Operations).toEqual([
      { op: 'replace', path: 'active', value: true },
      { op: 'replace', path: 'name.givenName', value: 'Ann' },
    ]);
  });

  it.each([
    ['no operations', { Operations: [] }],
    ['a pathless op with an empty value', { Operations: [{ op: 'replace', value: {} }] }],
    ['a remove without a path', { Operations: [{ op: 'remove' }] }],
    ['an unknown op', { Operations: [{ op: 'move', path: 'x' }] }],
  ])('refuses %s before anything is sent', (_label, patch) => {
    expect(() => normalizePatch(patch)).toThrow(ScimRequestError);
  });
});
