import {
  decide,
  desiredTerranovaUser,
  diffTerranovaUser,
  terranovaUserFromScim,
  terranovaUsersEqual,
  type Decision,
  type TenantMappingSettings,
  type TerranovaPresence,
  type TerranovaUser,
} from '@provisioning/mapping';
import type { ScimUser, SystemUser, UserChangeEventV1 } from '@provisioning/schemas';
import { stateEventOf, type StateSubject } from '../events/state-event.ts';

/** One line of a reconcile: what the processors would do for a user, and the state event that makes them. */
export interface ReconcileRow {
  action: 'create' | 'update' | 'reactivate' | 'deactivate' | 'delete' | 'unmanaged';
  userId: string | undefined;
  userName: string;
  /** For an update: the attributes that differ. */
  attributes?: string[];
  detail: string;
  /** Absent for unmanaged users, which are never touched. */
  event?: UserChangeEventV1;
}

export interface ReconcileInput {
  tenantId: string;
  runId: string;
  mapping: TenantMappingSettings;
  deprovisionMode: 'deactivate' | 'delete';
  jumpcloudUsers: readonly SystemUser[];
  bound: ReadonlySet<string>;
  terranovaUsers: readonly ScimUser[];
  /** What the processor applied per JumpCloud user (its records), to find renamed and deleted users. */
  applied: readonly { userId: string; userName: string }[];
}

interface Held {
  user: TerranovaUser;
}

const lower = (text: string) => text.toLowerCase();

function row(decision: Decision, event: UserChangeEventV1, userName: string, held: Held | undefined, desired: TerranovaUser | undefined): ReconcileRow | undefined {
  const base = { userId: event.userId, userName, event };
  switch (decision.action) {
    case 'none':
      return undefined;
    case 'create':
      return { ...base, action: 'create', detail: 'bound and active in JumpCloud, not in Terranova' };
    case 'update':
    case 'reactivate': {
      const attributes = (diffTerranovaUser(held!.user, desired!)?.Operations ?? []).map((op) => op.path ?? '(root)');
      return { ...base, action: decision.action, attributes, detail: attributes.join(', ') };
    }
    default:
      return { ...base, action: decision.action, detail: `${decision.cause} in JumpCloud, active in Terranova` };
  }
}

function presenceOf(held: Held | undefined, desired: TerranovaUser | undefined): TerranovaPresence {
  if (!held) return { exists: false };
  return { exists: true, active: held.user.active, ...(desired ? { attributesDiffer: !terranovaUsersEqual(held.user, desired) } : {}) };
}

/**
 * Compares every JumpCloud user (bound or not) with what Terranova holds, deciding as the processor does, and
 * lists the Terranova users no JumpCloud user accounts for: deleted in JumpCloud when the processor's records
 * name them (deprovisioned), else unmanaged (never touched).
 */
export function planReconcile(input: ReconcileInput): ReconcileRow[] {
  const terranova = new Map(input.terranovaUsers.map((scim) => [lower(String(scim.userName)), { user: terranovaUserFromScim(scim) }]));
  const appliedName = new Map(input.applied.map((a) => [a.userId, a.userName]));
  const accounted = new Set<string>();
  const settings = { deprovisionMode: input.deprovisionMode };
  const plan = (subject: StateSubject, find: (desired: TerranovaUser | undefined) => Held | undefined) => {
    const event = stateEventOf(input.tenantId, subject, `reconcile:${input.runId}:${subject.userId}`, 'ops-reconcile');
    const desired = desiredTerranovaUser(event, input.mapping);
    const held = find(desired);
    if (held) accounted.add(lower(held.user.userName));
    return row(decide(event, presenceOf(held, desired), settings), event, held?.user.userName ?? desired?.userName ?? event.user.username, held, desired);
  };
  const rows: ReconcileRow[] = [];
  const known = new Set(input.jumpcloudUsers.map((u) => u._id));
  for (const user of input.jumpcloudUsers) {
    const previous = appliedName.get(user._id);
    const found = plan({ userId: user._id, user, bound: input.bound.has(user._id) }, (desired) => terranova.get(lower(desired!.userName)) ?? (previous ? terranova.get(lower(previous)) : undefined));
    if (found) rows.push(found);
  }
  for (const { userId, userName } of input.applied.filter((a) => !known.has(a.userId))) {
    const found = plan({ userId, user: undefined, lastUsername: userName }, () => terranova.get(lower(userName)));
    if (found) rows.push(found);
  }
  for (const [name, held] of terranova) {
    if (!accounted.has(name) && held.user.active) rows.push({ action: 'unmanaged', userId: undefined, userName: held.user.userName, detail: 'no JumpCloud user accounts for it: left alone' });
  }
  return rows;
}
