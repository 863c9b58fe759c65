import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES_DIR } from './jumpcloud-sim-process.ts';

/*
 * What the fixtures say the ingest must end with, computed here independently of the ingest's own mapping code:
 * a mistake in that code must not be able to hide behind the same mistake in the expectation.
 */

interface FixtureUser {
  _id: string;
  username: string;
  email: string;
  firstname?: string;
  lastname?: string;
  employeeIdentifier?: string;
  state: string;
  suspended: boolean;
  account_locked?: boolean;
  attributes?: { name: string; value: unknown }[];
}

export interface OrgFile {
  organization: string;
  application: { id: string };
  users: FixtureUser[];
  groupMembers: Record<string, string[]>;
  appBindings: { userGroups: string[]; users: string[] };
}

export interface DiRow {
  id: string;
  event_type: string;
  service: string;
  success?: boolean;
  resource?: { id: string; type: string };
  association?: { connection: { from: { type: string; object_id: string }; to: { type: string; object_id: string } } };
}

export interface FixtureExpectations {
  orgId: string;
  applicationId: string;
  finalUsers: Map<string, FixtureUser>;
  initiallyBound: Set<string>;
  finallyBound: Set<string>;
  /** Users that existed at some point of the week and are gone at its end. */
  deletedDuringWeek: Set<string>;
  /** Directory Insights events that name an affected user: each must be published under its own id. */
  userEventIds: Map<string, string>;
  rows: DiRow[];
}

const readJson = async <T>(tenantId: string, file: string) => JSON.parse(await readFile(join(FIXTURES_DIR, tenantId, file), 'utf8')) as T;

function boundIn(org: OrgFile): Set<string> {
  const existing = new Set(org.users.map((u) => u._id));
  const ids = [...org.appBindings.users, ...org.appBindings.userGroups.flatMap((g) => org.groupMembers[g] ?? [])];
  return new Set(ids.filter((id) => existing.has(id)));
}

const USER_TYPES = new Set(['user_create', 'user_update', 'user_delete', 'user_suspended', 'user_unsuspended', 'user_lockout', 'user_unlocked', 'user_password_change']);

/** The user a fixture row is about, when the ingest must publish an event under the row's own id. */
function affectedUser(row: DiRow, applicationId: string): string | undefined {
  if (row.service !== 'directory' || row.success === false) return undefined;
  if (USER_TYPES.has(row.event_type) && row.resource && ['user', 'systemuser'].includes(row.resource.type)) return row.resource.id;
  const edge = row.association?.connection;
  if (row.event_type !== 'association_change' || !edge) return undefined;
  const ends = [edge.from, edge.to];
  const user = ends.find((e) => e.type === 'user');
  const related = ends.some((e) => e.type === 'user_group' || (e.type === 'application' && e.object_id === applicationId));
  return user && related ? user.object_id : undefined;
}

/**
 * Expectations for the org as it is now (`current`): users of `everSeen` missing from it were deleted. The
 * feed rows define which events must have been published.
 */
export function expectationsFor(current: OrgFile, initial: OrgFile, everSeen: ReadonlySet<string>, rows: DiRow[]): FixtureExpectations {
  const finalUsers = new Map(current.users.map((u) => [u._id, u]));
  const userEventIds = new Map(rows.flatMap((row) => {
    const user = affectedUser(row, current.application.id);
    return user ? [[row.id, user] as const] : [];
  }));
  return {
    orgId: current.organization,
    applicationId: current.application.id,
    finalUsers,
    initiallyBound: boundIn(initial),
    finallyBound: boundIn(current),
    deletedDuringWeek: new Set([...everSeen].filter((id) => !finalUsers.has(id))),
    userEventIds,
    rows,
  };
}

/** The fixture's own end state: org-final.json and the whole export. */
export async function loadExpectations(tenantId: string): Promise<FixtureExpectations> {
  const initial = await readJson<OrgFile>(tenantId, 'org-initial.json');
  const final = await readJson<OrgFile>(tenantId, 'org-final.json');
  const timeline = await readJson<{ action: string; user?: { _id: string } }[]>(tenantId, 'admin-timeline.json');
  const rows = await readJson<DiRow[]>(tenantId, 'directory-insights-events.json');
  const everyone = new Set([...initial.users.map((u) => u._id), ...timeline.flatMap((a) => (a.user ? [a.user._id] : []))]);
  return expectationsFor(final, initial, everyone, rows);
}

export const loadInitialOrg = (tenantId: string) => readJson<OrgFile>(tenantId, 'org-initial.json');

/** The state a user-change event must carry for a fixture user (the contract's field names). */
export function expectedState(user: FixtureUser): Record<string, unknown> {
  const nonBlank = (v: string | undefined) => (v && v.trim() !== '' ? v : undefined);
  const language = user.attributes?.find((a) => a.name.toLowerCase() === 'preferredlanguage')?.value;
  const state: Record<string, unknown> = { username: user.username, email: user.email, state: user.state, suspended: user.suspended };
  const optional = {
    firstname: nonBlank(user.firstname),
    lastname: nonBlank(user.lastname),
    employeeIdentifier: nonBlank(user.employeeIdentifier),
    accountLocked: user.account_locked,
    preferredLanguage: typeof language === 'string' ? nonBlank(language.trim()) : undefined,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) state[key] = value;
  return state;
}
