import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemUserSchema, userStateFromSystemUser, type SystemUser } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_TENANT_MAPPING_SETTINGS, toTerranovaUser, type TerranovaUser } from '../src/index.ts';

/** The shared fixtures sit next to the repository (CI clones the repo beside a copy of `shared/`). */
const fixturesRoot = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'jumpcloud');
const tenants = readdirSync(fixturesRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

interface Org {
  users: unknown[];
  groupMembers: Record<string, string[]>;
  appBindings: { userGroups: string[]; users: string[] };
}
interface Oracle {
  defaultPreferredLanguage: string;
  active: { jumpcloudId: string; scim: TerranovaUser }[];
}

function readJson<T>(tenant: string, file: string): T {
  return JSON.parse(readFileSync(join(fixturesRoot, tenant, file), 'utf8')) as T;
}

/** Users bound to the Terranova app directly or through a bound user group. */
function boundUserIds(org: Org): Set<string> {
  const viaGroups = org.appBindings.userGroups.flatMap((group) => org.groupMembers[group] ?? []);
  return new Set([...org.appBindings.users, ...viaGroups]);
}

describe.each(tenants)('the end state of tenant %s, mapped and decided, matches the oracle', (tenant) => {
  const org = readJson<Org>(tenant, 'org-final.json');
  const oracle = readJson<Oracle>(tenant, 'expected-terranova.json');
  const users: SystemUser[] = org.users.map((user) => systemUserSchema.parse(user));
  const bound = boundUserIds(org);
  const settings = { ...DEFAULT_TENANT_MAPPING_SETTINGS, defaultLanguage: oracle.defaultPreferredLanguage };

  function decisionFor(user: SystemUser) {
    const carried = { bound: bound.has(user._id), deleted: false, user: userStateFromSystemUser(user) };
    return decide(carried, { exists: false }, { deprovisionMode: 'deactivate' });
  }

  it('creates exactly the users the oracle expects to be active', () => {
    const created = users.filter((user) => decisionFor(user).action === 'create').map((user) => user._id);
    expect(created.sort()).toEqual(oracle.active.map((entry) => entry.jumpcloudId).sort());
  });

  it('maps every active user to exactly the expected SCIM attributes', () => {
    const byId = new Map(users.map((user) => [user._id, user]));
    for (const { jumpcloudId, scim } of oracle.active) {
      const user = byId.get(jumpcloudId)!;
      const mapped = toTerranovaUser(userStateFromSystemUser(user), settings, { bound: bound.has(jumpcloudId) });
      expect({ jumpcloudId, ...mapped }).toEqual({ jumpcloudId, ...scim });
    }
  });
});
