import type { AdminAction, OrgFile, SystemUserRecord } from './fixture-schemas.ts';

/** An action that does not fit the org (unknown user or group, a bind that already exists…). */
export class InvalidActionError extends Error {
  override readonly name = 'InvalidActionError';
}

/** One hop of a v2 graph path from the application to a user. */
export interface GraphPathHop {
  to: { type: 'user' | 'user_group'; id: string };
}

/** A user bound to the application, with every edge chain that binds it (v2 `GraphObjectWithPaths`). */
export interface BoundUser {
  id: string;
  type: 'user';
  compiledAttributes: Record<string, never>;
  paths: GraphPathHop[][];
}

/** What an applied action touched, for the Directory Insights events it produces. */
export interface AppliedAction {
  action: AdminAction;
  /** The user before the action (for deletes, the last state). */
  before?: SystemUserRecord;
  /** The user after the action (absent after a delete). */
  after?: SystemUserRecord;
  groupName?: string;
}

const clone = <T>(value: T): T => structuredClone(value);

/**
 * One organization in memory: users, user groups, memberships and the Terranova application's bindings.
 * Insertion order is kept everywhere, so `snapshot()` after the fixture timeline reproduces `org-final.json`.
 */
export class OrgState {
  readonly tenantId: string;
  readonly organization: string;
  readonly application: OrgFile['application'];
  readonly groups: OrgFile['groups'];
  private readonly users = new Map<string, SystemUserRecord>();
  private readonly groupMembers = new Map<string, string[]>();
  private readonly appBindings: { userGroups: string[]; users: string[] };

  constructor(file: OrgFile) {
    this.tenantId = file.tenantId;
    this.organization = file.organization;
    this.application = clone(file.application);
    this.groups = clone(file.groups);
    for (const user of file.users) this.users.set(user._id, clone(user));
    for (const [groupId, members] of Object.entries(file.groupMembers)) this.groupMembers.set(groupId, [...members]);
    this.appBindings = clone(file.appBindings);
  }

  getUser(id: string): SystemUserRecord | undefined {
    const user = this.users.get(id);
    return user && clone(user);
  }

  listUsers(): SystemUserRecord[] {
    return [...this.users.values()].map(clone);
  }

  get userCount(): number {
    return this.users.size;
  }

  groupName(groupId: string): string {
    return this.groups.find((g) => g.id === groupId)?.name ?? groupId;
  }

  /** Every user bound to the application, directly or through a bound group, ordered by id for stable paging. */
  boundUsers(): BoundUser[] {
    const paths = new Map<string, GraphPathHop[][]>();
    const addPath = (userId: string, path: GraphPathHop[]) => {
      if (!this.users.has(userId)) return;
      paths.set(userId, [...(paths.get(userId) ?? []), path]);
    };
    for (const userId of this.appBindings.users) addPath(userId, [{ to: { type: 'user', id: userId } }]);
    for (const groupId of this.appBindings.userGroups) {
      for (const userId of this.groupMembers.get(groupId) ?? []) {
        addPath(userId, [{ to: { type: 'user_group', id: groupId } }, { to: { type: 'user', id: userId } }]);
      }
    }
    return [...paths.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, userPaths]) => ({ id, type: 'user', compiledAttributes: {}, paths: userPaths }));
  }

  /** The org in the fixture file format (`org-final.json` after the whole timeline). */
  snapshot(): OrgFile {
    return {
      tenantId: this.tenantId,
      organization: this.organization,
      application: clone(this.application),
      groups: clone(this.groups),
      users: this.listUsers(),
      groupMembers: Object.fromEntries([...this.groupMembers.entries()].map(([g, m]) => [g, [...m]])),
      appBindings: clone(this.appBindings),
    };
  }

  /** Applies one admin action; throws InvalidActionError when it does not fit the org, changing nothing. */
  apply(action: AdminAction): AppliedAction {
    switch (action.action) {
      case 'create_user':
        return this.createUser(action);
      case 'update_user':
        return this.changeUser(action, (u) => setField(u, action.field, action.to));
      case 'suspend_user':
        return this.changeUser(action, (u) => Object.assign(u, { state: 'SUSPENDED', suspended: true }));
      case 'activate_user':
        return this.changeUser(action, (u) => Object.assign(u, { state: 'ACTIVATED', suspended: false, activated: true }));
      case 'lockout_user':
        return this.changeUser(action, (u) => Object.assign(u, { account_locked: true }));
      case 'password_change':
        return this.changeUser(action, () => undefined);
      case 'delete_user':
        return this.deleteUser(action);
      default:
        return this.applyAssociation(action);
    }
  }

  /** Lifts a login lockout (JumpCloud unlocks after its lockout period); false when the user is not locked. */
  unlock(userId: string): boolean {
    const user = this.users.get(userId);
    if (!user?.account_locked) return false;
    user.account_locked = false;
    return true;
  }

  private requireUser(userId: string): SystemUserRecord {
    const user = this.users.get(userId);
    if (!user) throw new InvalidActionError(`no user ${userId}`);
    return user;
  }

  private requireGroup(groupId: string): string[] {
    const members = this.groupMembers.get(groupId);
    if (!members) throw new InvalidActionError(`no user group ${groupId}`);
    return members;
  }

  private createUser(action: Extract<AdminAction, { action: 'create_user' }>): AppliedAction {
    if (this.users.has(action.user._id)) throw new InvalidActionError(`user ${action.user._id} exists already`);
    const members = action.addToGroup === undefined ? undefined : this.requireGroup(action.addToGroup);
    this.users.set(action.user._id, clone(action.user));
    members?.push(action.user._id);
    const groupName = action.addToGroup === undefined ? undefined : this.groupName(action.addToGroup);
    return { action, after: clone(action.user), ...(groupName === undefined ? {} : { groupName }) };
  }

  private changeUser(action: AdminAction & { userId: string }, change: (user: SystemUserRecord) => unknown): AppliedAction {
    const user = this.requireUser(action.userId);
    const before = clone(user);
    change(user);
    return { action, before, after: clone(user) };
  }

  private deleteUser(action: Extract<AdminAction, { action: 'delete_user' }>): AppliedAction {
    const before = this.requireUser(action.userId);
    this.users.delete(action.userId);
    for (const members of this.groupMembers.values()) removeFrom(members, action.userId);
    removeFrom(this.appBindings.users, action.userId);
    return { action, before };
  }

  private applyAssociation(action: AdminAction): AppliedAction {
    switch (action.action) {
      case 'add_to_group':
      case 'remove_from_group': {
        const user = this.requireUser(action.userId);
        toggle(this.requireGroup(action.groupId), action.userId, action.action === 'add_to_group', 'group member');
        return { action, before: clone(user), after: clone(user), groupName: this.groupName(action.groupId) };
      }
      case 'bind_group_to_app':
      case 'unbind_group_from_app':
        this.requireGroup(action.groupId);
        toggle(this.appBindings.userGroups, action.groupId, action.action === 'bind_group_to_app', 'group binding');
        return { action, groupName: this.groupName(action.groupId) };
      case 'bind_user_to_app':
      case 'unbind_user_from_app': {
        const user = this.requireUser(action.userId);
        toggle(this.appBindings.users, action.userId, action.action === 'bind_user_to_app', 'user binding');
        return { action, before: clone(user), after: clone(user) };
      }
      default:
        throw new InvalidActionError(`unsupported action ${action.action}`);
    }
  }
}

/** Sets a user field; `undefined` removes it. A name change also changes `displayname`, as JumpCloud does. */
function setField(user: SystemUserRecord, field: string, value: unknown): void {
  if (field === '_id') throw new InvalidActionError('the user id cannot change');
  const record = user as Record<string, unknown>;
  if (value === undefined || value === null) delete record[field];
  else record[field] = structuredClone(value);
  if (field === 'firstname' || field === 'lastname') record['displayname'] = `${user.firstname ?? ''} ${user.lastname ?? ''}`.trim();
}

function removeFrom(list: string[], id: string): void {
  const at = list.indexOf(id);
  if (at >= 0) list.splice(at, 1);
}

function toggle(list: string[], id: string, add: boolean, what: string): void {
  const present = list.includes(id);
  if (add === present) throw new InvalidActionError(`${what} ${id} is ${present ? 'already there' : 'not there'}`);
  if (add) list.push(id);
  else removeFrom(list, id);
}
