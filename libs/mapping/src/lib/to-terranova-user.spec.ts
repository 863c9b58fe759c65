import type { JumpCloudUserState, UserChangeEventV1 } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_MAPPING_SETTINGS } from './settings.ts';
import { desiredTerranovaUser, toTerranovaUser } from './to-terranova-user.ts';

const settings = DEFAULT_TENANT_MAPPING_SETTINGS;
const jane: JumpCloudUserState = {
  username: 'jane.doe',
  email: 'Jane.Doe@Example.com',
  firstname: 'Jane',
  lastname: 'Doe',
  employeeIdentifier: 'E-10042',
  state: 'ACTIVATED',
  suspended: false,
  preferredLanguage: 'fr_ca',
};

describe('toTerranovaUser: the attribute mapping table', () => {
  const user = toTerranovaUser(jane, settings);

  it.each([
    ['username → userName', user.userName, 'jane.doe'],
    ['firstname → name.givenName', user.name.givenName, 'Jane'],
    ['lastname → name.familyName', user.name.familyName, 'Doe'],
    ['email → exactly one primary work email, as written', user.emails, [{ value: 'Jane.Doe@Example.com', type: 'work', primary: true }]],
    ['employeeIdentifier → externalId', user.externalId, 'E-10042'],
    ['ACTIVATED and bound → active', user.active, true],
    ['preferredLanguage attribute → canonical tag', user.preferredLanguage, 'fr-CA'],
  ])('%s', (_row, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  it('sends nothing else: no role, no groups, no displayName', () => {
    expect(Object.keys(user).sort()).toEqual(['active', 'emails', 'externalId', 'name', 'preferredLanguage', 'userName']);
  });

  it('takes userName from the email when the tenant says so', () => {
    expect(toTerranovaUser(jane, { ...settings, userNameFrom: 'email' }).userName).toBe('Jane.Doe@Example.com');
  });
});

describe('toTerranovaUser: names and missing fields', () => {
  it.each([
    ["O'Brien", 'Siobhán', "O'Brien"],
    ["D'Angelo", 'Zoë', "D'Angelo"],
    ['Müller', 'José', 'Müller'],
    ['van der Berg', 'Søren', 'van der Berg'],
    ['山田', '太郎', '山田'],
  ])('keeps %j exactly', (lastname, firstname, expected) => {
    const user = toTerranovaUser({ ...jane, firstname, lastname }, settings);
    expect(user.name).toEqual({ givenName: firstname, familyName: expected });
  });

  it('leaves out externalId, names and the language attribute when absent or blank', () => {
    const bare: JumpCloudUserState = { username: ' bare.user ', email: 'bare@example.com', state: 'ACTIVATED', suspended: false };
    expect(toTerranovaUser({ ...bare, employeeIdentifier: '  ', firstname: '' }, settings)).toEqual({
      userName: 'bare.user',
      name: {},
      emails: [{ value: 'bare@example.com', type: 'work', primary: true }],
      active: true,
      preferredLanguage: 'en',
    });
  });
});

describe('toTerranovaUser: users who must not be active', () => {
  it.each([
    ['suspended', { ...jane, state: 'SUSPENDED', suspended: true }, true],
    ['suspended flag on an ACTIVATED state', { ...jane, suspended: true }, true],
    ['staged', { ...jane, state: 'STAGED' }, true],
    ['unbound', jane, false],
  ] as const)('%s → active false', (_label, state, bound) => {
    expect(toTerranovaUser(state, settings, { bound }).active).toBe(false);
  });

  it('maps nothing for a deleted user', () => {
    const event: UserChangeEventV1 = {
      schemaVersion: 1, eventId: 'e', tenantId: 't', userId: 'u', source: 'directory-insights',
      occurredAt: '2026-11-23T00:00:00Z', observedAt: '2026-11-23T00:00:00Z', bound: true, deleted: true,
      user: { username: 'gone' },
    };
    expect(desiredTerranovaUser(event, settings)).toBeUndefined();
    expect(desiredTerranovaUser({ ...event, deleted: false, bound: false, user: jane }, settings)?.active).toBe(false);
  });
});
