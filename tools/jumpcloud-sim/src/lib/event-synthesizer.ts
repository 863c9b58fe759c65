import type { DirectoryInsightsRow, SystemUserRecord } from './fixture-schemas.ts';
import { formatInstantNs, parseInstantNs, precisionOf } from './instant.ts';
import type { AppliedAction } from './org-state.ts';
import { SeededRandom, hexId } from './random.ts';

/** How JumpCloud's lockout ends: the user is unlocked after the lockout period. */
export const LOCKOUT_PERIOD_NS = 60_000_000_000n;

/** How often the synthesizer adds each quirk of the real feed (see the fixtures' README). */
export interface SynthesisQuirks {
  /** Same event twice in a row (overlapping export pages). */
  duplicate: number;
  /** user↔group edges written group→user or user→group. */
  reversedEdge: number;
  /** A suspension also logged as `user_suspended` / `user_unsuspended` besides the `user_update`. */
  separateStateEvent: number;
  /** `success` left out. */
  successAbsent: number;
  /** Login, app and group edits, and `systems` lockouts, which an ingest must ignore. */
  noise: number;
  /** `resource.type` written `systemuser` instead of `user`. */
  systemuserType: number;
}

export const DEFAULT_SYNTHESIS_QUIRKS: SynthesisQuirks = {
  duplicate: 0.03,
  reversedEdge: 0.25,
  separateStateEvent: 0.5,
  successAbsent: 0.15,
  noise: 0.12,
  systemuserType: 0.2,
};

interface Stamp {
  ns: bigint;
  precision: 'ms' | 'ns';
}

type Endpoint = { type: string; object_id: string; name: string };

/**
 * Writes the Directory Insights rows an admin action produces, in the shapes of the fixture export: the same
 * envelopes, ids of Mongo shape, millisecond or nanosecond timestamps, and the quirks in `SynthesisQuirks`.
 */
export class EventSynthesizer {
  private readonly random: SeededRandom;
  private counter = 0;
  private readonly organization: string;
  private readonly application: { id: string; name: string };
  private readonly quirks: SynthesisQuirks;

  constructor(options: { organization: string; application: { id: string; name: string }; quirks?: Partial<SynthesisQuirks> }) {
    this.organization = options.organization;
    this.application = options.application;
    this.quirks = { ...DEFAULT_SYNTHESIS_QUIRKS, ...options.quirks };
    this.random = new SeededRandom(`events:${options.organization}`);
  }

  /** The rows for one applied action, in timestamp order, quirks included. */
  rowsFor(applied: AppliedAction): DirectoryInsightsRow[] {
    const at = parseInstantNs(applied.action.at);
    if (at === undefined) throw new Error(`unreadable action time ${applied.action.at}`);
    const stamp: Stamp = { ns: at, precision: precisionOf(applied.action.at) };
    const rows = [...this.actionRows(applied, stamp), ...this.noiseRows(stamp)];
    return rows.flatMap((row) => (this.random.chance(this.quirks.duplicate) ? [row, structuredClone(row)] : [row]));
  }

  private actionRows(applied: AppliedAction, at: Stamp): DirectoryInsightsRow[] {
    const { action } = applied;
    const user = applied.after ?? applied.before;
    switch (action.action) {
      case 'create_user':
        return this.createRows(applied, at);
      case 'update_user':
        return [this.userRow('user_update', at, user, { changes: [{ field: action.field, from: fieldOf(applied.before, action.field), to: action.to ?? null }] })];
      case 'suspend_user':
        return this.stateRows(applied, at, 'user_suspended');
      case 'activate_user':
        return this.stateRows(applied, at, 'user_unsuspended');
      case 'lockout_user':
        return [this.userRow('user_lockout', at, user), this.userRow('user_unlocked', this.later(at, LOCKOUT_PERIOD_NS), user)];
      case 'password_change':
        return [this.userRow('user_password_change', at, user)];
      case 'delete_user':
        return [this.userRow('user_delete', at, user, {}, false)];
      case 'add_to_group':
      case 'remove_from_group':
        return [this.groupEdgeRow(action.action === 'add_to_group' ? 'add' : 'remove', at, action.groupId, applied.groupName, user)];
      case 'bind_group_to_app':
      case 'unbind_group_from_app':
        return [this.appEdgeRow(action.action === 'bind_group_to_app' ? 'add' : 'remove', at, { type: 'user_group', object_id: action.groupId, name: applied.groupName ?? action.groupId })];
      case 'bind_user_to_app':
      case 'unbind_user_from_app':
        return [this.appEdgeRow(action.action === 'bind_user_to_app' ? 'add' : 'remove', at, userEndpoint(user))];
    }
  }

  private createRows(applied: AppliedAction, at: Stamp): DirectoryInsightsRow[] {
    const rows: DirectoryInsightsRow[] = [this.userRow('user_create', at, applied.after)];
    const groupId = applied.action.action === 'create_user' ? applied.action.addToGroup : undefined;
    if (groupId !== undefined) rows.push(this.groupEdgeRow('add', this.later(at, 3_000_000n), groupId, applied.groupName, applied.after));
    return rows;
  }

  /** A state change is a `user_update` with state fields, sometimes followed by its own event type. */
  private stateRows(applied: AppliedAction, at: Stamp, separateType: string): DirectoryInsightsRow[] {
    const before = applied.before;
    const fromStaged = before?.state === 'STAGED';
    const secondField = fromStaged ? 'activated' : 'suspended';
    const changes = [
      { field: 'state', from: before?.state ?? null, to: applied.after?.state ?? null },
      { field: secondField, from: Boolean(before?.[secondField]), to: Boolean(applied.after?.[secondField]) },
    ];
    const rows: DirectoryInsightsRow[] = [this.userRow('user_update', at, applied.after, { changes })];
    if (!fromStaged && this.random.chance(this.quirks.separateStateEvent)) rows.push(this.userRow(separateType, this.later(at, 1_000_000n), applied.after));
    return rows;
  }

  private groupEdgeRow(op: 'add' | 'remove', at: Stamp, groupId: string, groupName: string | undefined, user: SystemUserRecord | undefined) {
    const group: Endpoint = { type: 'user_group', object_id: groupId, name: groupName ?? groupId };
    const member = userEndpoint(user);
    const [from, to] = this.random.chance(this.quirks.reversedEdge) ? [member, group] : [group, member];
    return this.associationRow(op, at, from, to);
  }

  private appEdgeRow(op: 'add' | 'remove', at: Stamp, to: Endpoint) {
    const app: Endpoint = { type: 'application', object_id: this.application.id, name: this.application.name };
    return this.associationRow(op, at, app, to);
  }

  private associationRow(op: 'add' | 'remove', at: Stamp, from: Endpoint, to: Endpoint): DirectoryInsightsRow {
    return { ...this.envelope('association_change', at), association: { op, action_source: 'manual', connection: { from, to }, attributes: null } };
  }

  private userRow(type: string, at: Stamp, user: SystemUserRecord | undefined, extra: Record<string, unknown> = {}, mayCarryEmail = true): DirectoryInsightsRow {
    const resource: Record<string, unknown> = {
      id: user?._id ?? '',
      type: this.random.chance(this.quirks.systemuserType) ? 'systemuser' : 'user',
      username: user?.username,
    };
    if (mayCarryEmail && user?.email && this.random.chance(0.25)) resource['email'] = user.email;
    return { ...this.envelope(type, at), resource, ...extra };
  }

  private noiseRows(at: Stamp): DirectoryInsightsRow[] {
    if (!this.random.chance(this.quirks.noise)) return [];
    const when = this.later(at, BigInt(this.random.int(5, 900)) * 1_000_000n);
    const kind = this.random.pick(['admin_login_attempt', 'user_login_attempt', 'application_update', 'group_update', 'systems_lockout']);
    if (kind === 'systems_lockout') {
      return [{ ...this.envelope('user_lockout', when), service: 'systems', resource: { id: hexId(`noise-user:${this.counter}`), type: 'user' } }];
    }
    const row = this.envelope(kind, when);
    if (kind === 'user_login_attempt') return [{ ...row, success: false, resource: { id: hexId(`noise-user:${this.counter}`), type: 'user' } }];
    return [row];
  }

  private envelope(eventType: string, at: Stamp): DirectoryInsightsRow {
    const id = hexId(`${this.organization}:synthesized:${this.counter++}`);
    const row: DirectoryInsightsRow = {
      id,
      event_type: eventType,
      service: 'directory',
      timestamp: formatInstantNs(at.ns, at.precision),
      organization: this.organization,
      initiated_by: { id: 'a1b2c3d4e5f6a1b2c3d4e5f6', type: 'admin', email: 'it-admin@example.com' },
    };
    if (!this.random.chance(this.quirks.successAbsent)) row['success'] = true;
    Object.assign(row, {
      auth_method: this.random.chance(0.5) ? 'session' : 'api key',
      client_ip: `198.51.100.${this.random.int(1, 254)}`,
      provider: null,
      '@version': '1',
    });
    return row;
  }

  private later(at: Stamp, deltaNs: bigint): Stamp {
    return { ns: at.ns + deltaNs, precision: this.random.chance(0.25) ? 'ns' : 'ms' };
  }
}

function fieldOf(user: SystemUserRecord | undefined, field: string): unknown {
  return (user as Record<string, unknown> | undefined)?.[field] ?? null;
}

function userEndpoint(user: SystemUserRecord | undefined): Endpoint {
  return { type: 'user', object_id: user?._id ?? '', name: user?.username ?? '' };
}
