import fc from 'fast-check';
import type { TerranovaEmail, TerranovaUser } from '../lib/terranova-user.ts';

/*
 * fast-check generators for the property tests. Values are drawn from small pools as well as at random, so
 * the same attribute often appears on both sides of a diff, and case-only differences occur.
 */
const text = fc.oneof(fc.constantFrom('Ann', 'ann', "O'Brien", 'Zoë', '山田', ''), fc.string());
const languages = fc.constantFrom('en', 'EN', 'fr-CA', 'fr-ca', 'ja-JP');

const emailArbitrary: fc.Arbitrary<TerranovaEmail> = fc.record(
  {
    value: fc.oneof(fc.constantFrom('ann@example.com', 'Ann@Example.com'), fc.string()),
    type: fc.constantFrom('work', 'home'),
    primary: fc.boolean(),
  },
  { requiredKeys: ['value'] },
);

export const terranovaUserArbitrary: fc.Arbitrary<TerranovaUser> = fc.record(
  {
    userName: fc.oneof(fc.constantFrom('ann.lee', 'Ann.Lee', 'bob'), fc.string({ minLength: 1 })),
    name: fc.record({ givenName: text, familyName: text }, { requiredKeys: [] }),
    emails: fc.array(emailArbitrary, { maxLength: 3 }),
    externalId: fc.oneof(fc.constantFrom('E-1', 'E-2'), fc.string()),
    active: fc.boolean(),
    preferredLanguage: fc.oneof(languages, fc.string()),
  },
  { requiredKeys: ['userName', 'name', 'emails', 'active'] },
);
