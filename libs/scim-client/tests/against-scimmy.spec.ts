import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScimClient, SCIM_ERROR_CODES } from '../src/index.ts';
import { startScimmyPeer, type ScimmyPeer } from './support/scimmy-peer.ts';

const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';

function ann(userName = 'Ann.Lee+ops@example.com') {
  return {
    userName,
    name: { givenName: 'Ann', familyName: 'Lee' },
    emails: [{ value: 'ann@example.com', type: 'work', primary: true }],
    active: true,
    preferredLanguage: 'en',
  };
}

describe('scim-client > against a third-party SCIM server (scimmy)', () => {
  let peer: ScimmyPeer;
  let client: ScimClient;
  beforeAll(async () => {
    peer = await startScimmyPeer();
    client = new ScimClient({ baseUrl: peer.url, token: peer.token, pageSize: 4 });
  });
  beforeEach(() => peer.users.clear());
  afterAll(async () => {
    await client.close();
    await peer.close();
  });

  it('verifies the endpoint, and says unauthorized for a wrong token', async () => {
    expect(await client.verify()).toMatchObject({ ok: true, patchSupported: true });
    const wrong = new ScimClient({ baseUrl: peer.url, token: 'not-the-token' });
    expect(await wrong.verify()).toMatchObject({ ok: false, problem: 'unauthorized' });
    await wrong.close();
  });

  it('creates, then finds by userName in another case, with + intact', async () => {
    const { user, outcome } = await client.createUser(ann());
    expect(outcome).toBe('created');
    expect(user).toMatchObject({ userName: 'Ann.Lee+ops@example.com', active: true });
    expect(await client.findUserByUserName('ann.lee+OPS@example.com')).toMatchObject({ id: user.id });
    expect(await client.findUserByUserName('ann.lee ops@example.com')).toBeUndefined();
  });

  it('hands back the existing user on a second create', async () => {
    const first = await client.createUser(ann());
    const second = await client.createUser(ann('ANN.LEE+ops@example.com'));
    expect(second).toMatchObject({ outcome: 'existing', user: { id: first.user.id } });
    expect(peer.users.size).toBe(1);
  });

  it('patches with lowercase ops and boolean values, and gets the user by id', async () => {
    const { user } = await client.createUser(ann());
    const id = user.id ?? '';
    const patched = await client.patchUser(id, { Operations: [{ op: 'Replace', path: 'active', value: 'False' }, { op: 'replace', path: 'name.familyName', value: 'Lee-Smith' }] });
    expect(patched).toMatchObject({ active: false, name: { givenName: 'Ann', familyName: 'Lee-Smith' } });
    expect(await client.getUser(id)).toMatchObject({ active: false });
  });

  it('replaces with GET-merge-PUT, keeping attributes it does not manage', async () => {
    const { user } = await client.createUser({ ...ann(), displayName: 'Ann (ops)', title: 'Analyst', name: { givenName: 'Ann', familyName: 'Lee', middleName: 'Q' } });
    const id = user.id ?? '';
    const replaced = await client.replaceUser(id, { userName: 'ann.lee@example.com', name: { givenName: 'Annie' }, active: false });
    expect(replaced).toMatchObject({
      userName: 'ann.lee@example.com', displayName: 'Ann (ops)', title: 'Analyst', active: false,
      name: { givenName: 'Annie', familyName: 'Lee', middleName: 'Q' }, emails: [{ value: 'ann@example.com' }],
    });
    expect(replaced.schemas).toContain(USER_URN);
  });

  it('deletes, and a second delete of the same id is still success', async () => {
    const { user } = await client.createUser(ann());
    expect(await client.deleteUser(user.id ?? '')).toBe('deleted');
    expect(await client.deleteUser(user.id ?? '')).toBe('absent');
    expect(await client.getUser(user.id ?? '')).toBeUndefined();
    await expect(client.patchUser(user.id ?? '', { Operations: [{ op: 'replace', path: 'active', value: true }] })).rejects.toMatchObject({ code: SCIM_ERROR_CODES.notFound });
  });

  it('lists every user across pages (scimmy reports itemsPerPage loosely)', async () => {
    for (let index = 0; index < 11; index++) await client.createUser(ann(`user${index}@example.com`));
    const listed = await client.listAllUsers();
    expect(listed.map((user) => user.userName).sort()).toEqual(Array.from({ length: 11 }, (_, index) => `user${index}@example.com`).sort());
    expect(new Set(listed.map((user) => user.id)).size).toBe(11);
  });
});
