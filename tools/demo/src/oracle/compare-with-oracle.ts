import type { ExpectedScimUser, ExpectedTerranovaState } from './expected-state.ts';

/** What the Terranova emulator holds for one user (only the attributes the oracle looks at). */
export interface ObservedScimUser {
  id: string;
  userName: string;
  name?: { givenName?: string; familyName?: string };
  emails?: { value: string; type?: string; primary?: boolean }[];
  active?: boolean;
  preferredLanguage?: string;
  externalId?: string;
}

/** The demo's end-of-run table, one per tenant. Everything but the two counts must be empty to match. */
export interface OracleComparison {
  expectedActive: number;
  active: number;
  missing: string[];
  extra: string[];
  wrongAttributes: { userName: string; differences: string[] }[];
  duplicates: string[];
  inactiveNotAllowed: string[];
  matches: boolean;
}

const fold = (userName: string) => userName.toLowerCase();

/** Canonical BCP 47 casing: language lower, region upper; `en-US` is what Terranova calls `en`. */
function canonicalLanguage(tag: string | undefined): string | undefined {
  if (!tag) return tag;
  const [language = '', ...rest] = tag.replace(/_/g, '-').split('-');
  const canonical = [language.toLowerCase(), ...rest.map((part) => (part.length === 2 ? part.toUpperCase() : part))].join('-');
  return canonical === 'en-US' ? 'en' : canonical;
}

/** Lists how an observed user differs from the expected attributes; empty when it matches. */
export function attributeDifferences(expected: ExpectedScimUser, observed: ObservedScimUser): string[] {
  const differences: string[] = [];
  const check = (what: string, want: unknown, got: unknown) => {
    if (JSON.stringify(want) !== JSON.stringify(got)) differences.push(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  check('name.givenName', expected.name.givenName, observed.name?.givenName);
  check('name.familyName', expected.name.familyName, observed.name?.familyName);
  const primary = (observed.emails ?? []).filter((email) => email.primary === true);
  check('primary email', [expected.emails[0]?.value.toLowerCase()], primary.map((email) => email.value.toLowerCase()));
  check('externalId', expected.externalId, observed.externalId);
  check('preferredLanguage', canonicalLanguage(expected.preferredLanguage), canonicalLanguage(observed.preferredLanguage));
  return differences;
}

function duplicateUserNames(users: readonly ObservedScimUser[]): string[] {
  const seen = new Map<string, number>();
  for (const user of users) seen.set(fold(user.userName), (seen.get(fold(user.userName)) ?? 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([userName]) => userName);
}

function allowedInactiveUserNames(expected: ExpectedTerranovaState): Set<string> {
  return new Set(expected.mayExistInactive.flatMap((id) => expected.userNamesEverHeld[id] ?? []).map(fold));
}

/** Compares Terranova's users with `expected-terranova.json`, following its `rules`. */
export function compareWithOracle(expected: ExpectedTerranovaState, observed: readonly ObservedScimUser[]): OracleComparison {
  const activeObserved = new Map(observed.filter((user) => user.active === true).map((user) => [fold(user.userName), user]));
  const expectedByName = new Map(expected.active.map((entry) => [fold(entry.scim.userName), entry.scim]));
  const missing = [...expectedByName.keys()].filter((userName) => !activeObserved.has(userName));
  const extra = [...activeObserved.keys()].filter((userName) => !expectedByName.has(userName));
  const wrongAttributes = [...expectedByName]
    .filter(([userName]) => activeObserved.has(userName))
    .map(([userName, want]) => ({ userName, differences: attributeDifferences(want, activeObserved.get(userName)!) }))
    .filter((entry) => entry.differences.length > 0);
  const allowed = allowedInactiveUserNames(expected);
  const inactiveNotAllowed = observed
    .filter((user) => user.active !== true && !allowed.has(fold(user.userName)))
    .map((user) => user.userName);
  const duplicates = duplicateUserNames(observed);
  const matches = [missing, extra, wrongAttributes, duplicates, inactiveNotAllowed].every((list) => list.length === 0);
  return {
    expectedActive: expected.active.length,
    active: activeObserved.size,
    missing,
    extra,
    wrongAttributes,
    duplicates,
    inactiveNotAllowed,
    matches,
  };
}
