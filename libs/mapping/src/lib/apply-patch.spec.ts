import { scimPatchRequestSchema } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { applyScimPatch, UnsupportedPatchError } from './apply-patch.ts';
import type { TerranovaUser } from './terranova-user.ts';

const user: TerranovaUser = {
  userName: 'ann.lee',
  name: { givenName: 'Ann' },
  emails: [{ value: 'ann@example.com', type: 'work', primary: true }],
  active: true,
};

function patch(Operations: unknown[]) {
  return scimPatchRequestSchema.parse({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations });
}

describe('applyScimPatch', () => {
  it('applies paths in any case and string booleans as other clients send them, leaving the input alone', () => {
    const next = applyScimPatch(user, patch([
      { op: 'Replace', path: 'Active', value: 'False' },
      { op: 'add', path: 'name.familyName', value: 'Lee' },
      { op: 'replace', path: 'externalid', value: 'E-7' },
    ]));
    expect(next).toEqual({ ...user, active: false, name: { givenName: 'Ann', familyName: 'Lee' }, externalId: 'E-7' });
    expect(user.active).toBe(true);
  });

  it('applies a pathless replace with a nested name', () => {
    const next = applyScimPatch(user, patch([{ op: 'replace', value: { userName: 'ann.l', name: { givenName: 'Anne' } } }]));
    expect(next).toMatchObject({ userName: 'ann.l', name: { givenName: 'Anne' } });
  });

  it('appends on add to emails and empties them on remove', () => {
    const added = applyScimPatch(user, patch([{ op: 'add', path: 'emails', value: [{ value: 'a@home.example', type: 'home' }] }]));
    expect(added.emails.map((email) => email.value)).toEqual(['ann@example.com', 'a@home.example']);
    expect(applyScimPatch(user, patch([{ op: 'remove', path: 'emails' }])).emails).toEqual([]);
  });

  it.each([
    ['an unmanaged path (Terranova owns role)', [{ op: 'replace', path: 'role', value: 'Admin' }]],
    ['a filtered path', [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'x@example.com' }]],
    ['removing the userName', [{ op: 'remove', path: 'userName' }]],
    ['a non-boolean active', [{ op: 'replace', path: 'active', value: 'yes' }]],
    ['a non-string externalId', [{ op: 'replace', path: 'externalId', value: 7 }]],
  ])('refuses %s', (_label, operations) => {
    expect(() => applyScimPatch(user, patch(operations))).toThrow(UnsupportedPatchError);
  });
});
