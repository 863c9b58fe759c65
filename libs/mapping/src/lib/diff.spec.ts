import { scimPatchRequestSchema } from '@provisioning/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyScimPatch } from './apply-patch.ts';
import { diffTerranovaUser } from './diff.ts';
import { terranovaUserFingerprint, terranovaUsersEqual, type TerranovaUser } from './terranova-user.ts';
import { terranovaUserArbitrary } from '../testing.ts';

const applied: TerranovaUser = {
  userName: 'jane.doe',
  name: { givenName: 'Jane', familyName: 'Doe' },
  emails: [{ value: 'jane.doe@example.com', type: 'work', primary: true }],
  externalId: 'E-10042',
  active: true,
  preferredLanguage: 'en',
};

describe('diffTerranovaUser', () => {
  it('asks for no request at all when nothing changed', () => {
    expect(diffTerranovaUser(applied, structuredClone(applied))).toBeUndefined();
  });

  it('does not treat a case-only userName or language difference as a change', () => {
    expect(diffTerranovaUser(applied, { ...applied, userName: 'Jane.Doe', preferredLanguage: 'EN' })).toBeUndefined();
  });

  it('sends one lowercase op per changed attribute with an explicit path, in a fixed order', () => {
    const desired: TerranovaUser = {
      ...applied,
      userName: 'jane.smith',
      name: { givenName: 'Jane', familyName: 'Smith' },
      active: false,
    };
    expect(diffTerranovaUser(applied, desired)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'userName', value: 'jane.smith' },
        { op: 'replace', path: 'name.familyName', value: 'Smith' },
        { op: 'replace', path: 'active', value: false },
      ],
    });
  });

  it('replaces emails as a whole array', () => {
    const desired = { ...applied, emails: [{ value: 'jane@new.example.com', type: 'work', primary: true }] };
    expect(diffTerranovaUser(applied, desired)?.Operations).toEqual([
      { op: 'replace', path: 'emails', value: [{ value: 'jane@new.example.com', type: 'work', primary: true }] },
    ]);
  });

  it('removes an externalId and a name part that JumpCloud no longer has', () => {
    const { externalId: _externalId, ...withoutExternalId } = applied;
    const desired: TerranovaUser = { ...withoutExternalId, name: { givenName: 'Jane' } };
    expect(diffTerranovaUser(applied, desired)?.Operations).toEqual([
      { op: 'remove', path: 'name.familyName' },
      { op: 'remove', path: 'externalId' },
    ]);
  });

  it('sends active as a JSON boolean, never a string', () => {
    const body = JSON.stringify(diffTerranovaUser(applied, { ...applied, active: false }));
    expect(body).toContain('"value":false');
  });
});

describe('diffTerranovaUser properties', () => {
  it('applying the diff to the applied user yields the desired user, also after a trip over the wire', () => {
    fc.assert(
      fc.property(terranovaUserArbitrary, terranovaUserArbitrary, (from, to) => {
        const patch = diffTerranovaUser(from, to);
        if (patch === undefined) return terranovaUsersEqual(from, to);
        const wire = scimPatchRequestSchema.parse(JSON.parse(JSON.stringify(patch)));
        return terranovaUsersEqual(applyScimPatch(from, wire), to);
      }),
      { numRuns: 2000 },
    );
  });

  it('two users have the same fingerprint exactly when no PATCH is needed between them', () => {
    fc.assert(
      fc.property(terranovaUserArbitrary, terranovaUserArbitrary, (a, b) => {
        const sameFingerprint = terranovaUserFingerprint(a) === terranovaUserFingerprint(b);
        return sameFingerprint === (diffTerranovaUser(a, b) === undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('the diff of a user with itself is empty', () => {
    fc.assert(fc.property(terranovaUserArbitrary, (user) => diffTerranovaUser(user, structuredClone(user)) === undefined));
  });

  it('never sends an empty Operations list, a capitalised op, or two ops for one path', () => {
    fc.assert(
      fc.property(terranovaUserArbitrary, terranovaUserArbitrary, (from, to) => {
        const operations = diffTerranovaUser(from, to)?.Operations ?? [];
        const paths = operations.map((operation) => operation.path);
        return (
          operations.every((operation) => /^(add|remove|replace)$/.test(operation.op) && operation.path !== undefined) &&
          new Set(paths).size === paths.length
        );
      }),
    );
  });
});
