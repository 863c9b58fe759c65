import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithOracle, type ObservedScimUser } from './compare-with-oracle.ts';
import { readExpectedState, type ExpectedTerranovaState } from './expected-state.ts';

const ACME = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'fixtures', 'jumpcloud', 'acme');

/** What a perfect run leaves in Terranova: every expected user active, nobody else. */
function perfectRun(expected: ExpectedTerranovaState): ObservedScimUser[] {
  return expected.active.map((entry, i) => ({ id: `id-${i}`, ...structuredClone(entry.scim) }));
}

describe('demo > oracle comparison', () => {
  let expected: ExpectedTerranovaState;
  beforeAll(async () => {
    expected = await readExpectedState(ACME);
  });

  it('matches a perfect run, with userNames compared case-insensitively and en-US read as en', () => {
    const observed = perfectRun(expected);
    observed[0]!.userName = observed[0]!.userName.toUpperCase();
    const english = observed.find((user) => user.preferredLanguage === 'en')!;
    english.preferredLanguage = 'en-US';
    const result = compareWithOracle(expected, observed);
    expect(result).toMatchObject({ expectedActive: 148, active: 148, matches: true });
  });

  it('reports every kind of mismatch', () => {
    const observed = perfectRun(expected);
    const dropped = observed.shift()!;
    observed[0]!.name = { givenName: 'Wrong', familyName: observed[0]!.name?.familyName };
    observed.push({ id: 'x1', userName: 'intruder', active: true });
    observed.push({ id: 'x2', userName: 'stranger', active: false });
    observed.push({ ...observed[1]!, id: 'x3', active: false });
    const mayBeInactive = expected.userNamesEverHeld[expected.mayExistInactive[0]!]![0]!;
    observed.push({ id: 'x4', userName: mayBeInactive, active: false });

    const result = compareWithOracle(expected, observed);
    expect(result.matches).toBe(false);
    expect(result.missing).toEqual([dropped.userName.toLowerCase()]);
    expect(result.extra).toEqual(['intruder']);
    expect(result.wrongAttributes.map((w) => w.userName)).toEqual([observed[0]!.userName.toLowerCase()]);
    expect(result.duplicates).toEqual([observed[1]!.userName.toLowerCase()]);
    expect(result.inactiveNotAllowed).toEqual(['stranger', observed[1]!.userName]);
  });
});
