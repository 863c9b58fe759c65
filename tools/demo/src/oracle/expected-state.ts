import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The SCIM attributes the oracle expects for an active user. */
export interface ExpectedScimUser {
  userName: string;
  name: { givenName: string; familyName: string };
  emails: { value: string; type: string; primary: boolean }[];
  active: boolean;
  preferredLanguage: string;
  externalId?: string;
}

/** `expected-terranova.json`: who must be active at the end, who may exist inactive, and their userNames. */
export interface ExpectedTerranovaState {
  rules: string;
  defaultPreferredLanguage: string;
  active: { jumpcloudId: string; scim: ExpectedScimUser }[];
  mayExistInactive: string[];
  userNamesEverHeld: Record<string, string[]>;
}

export async function readExpectedState(fixtureDir: string): Promise<ExpectedTerranovaState> {
  return JSON.parse(await readFile(join(fixtureDir, 'expected-terranova.json'), 'utf8')) as ExpectedTerranovaState;
}
