import { describe, expect, it } from 'vitest';
import { systemUserSchema, userStateFromSystemUser } from './system-user.ts';
import { graphObjectWithPathsSchema } from './graph.ts';

const jane = {
  _id: '6127579ec58b6d6144c06492',
  username: 'jane.doe',
  email: 'jane.doe@example.com',
  firstname: 'Jane',
  lastname: "D'Angelo",
  employeeIdentifier: 'E-10042',
  state: 'ACTIVATED',
  activated: true,
  suspended: false,
  account_locked: true,
  attributes: [
    { name: 'Division', value: 'Sales' },
    { name: 'PreferredLanguage', value: ' fr_ca ' },
  ],
  mfa: { configured: true },
};

describe('userStateFromSystemUser', () => {
  it('takes the mapped fields and the preferredLanguage custom attribute', () => {
    expect(userStateFromSystemUser(systemUserSchema.parse(jane))).toEqual({
      username: 'jane.doe',
      email: 'jane.doe@example.com',
      firstname: 'Jane',
      lastname: "D'Angelo",
      employeeIdentifier: 'E-10042',
      state: 'ACTIVATED',
      suspended: false,
      accountLocked: true,
      preferredLanguage: 'fr_ca',
    });
  });

  it('leaves out blank and missing optional fields', () => {
    const bare = systemUserSchema.parse({
      _id: '1', username: 'staged.user', email: 's@example.com', state: 'STAGED', employeeIdentifier: '', firstname: null,
    });
    expect(userStateFromSystemUser(bare)).toEqual({
      username: 'staged.user', email: 's@example.com', state: 'STAGED', suspended: false,
    });
  });

  it('rejects a user whose state is unknown', () => {
    expect(systemUserSchema.safeParse({ ...jane, state: 'PENDING' }).success).toBe(false);
  });
});

describe('graphObjectWithPathsSchema', () => {
  it('reads a user bound to the application through a group', () => {
    const item = graphObjectWithPathsSchema.parse({
      type: 'user',
      id: '636b8c40f03d374a5c7f6ceb',
      compiledAttributes: {},
      paths: [[{ to: { type: 'user_group', id: '5f0c' } }, { to: { type: 'user', id: '636b8c40f03d374a5c7f6ceb' } }]],
    });
    expect(item.paths?.[0]?.[0]?.to.type).toBe('user_group');
  });
});
