import { hash } from 'node:crypto';
import { NonRetriableError } from '@provisioning/errors';
import {
  decide,
  desiredTerranovaUser,
  diffTerranovaUser,
  terranovaUserFingerprint,
  terranovaUserFromScim,
  terranovaUsersEqual,
  toScimUserBody,
  type Decision,
  type TenantMappingSettings,
  type TerranovaUser,
} from '@provisioning/mapping';
import { HELD_MASS_DEPROVISION, REJECTED_MASS_DEPROVISION } from '@provisioning/processor-controls';
import type { ProvisioningAction, ScimUser, UserChangeEventV1 } from '@provisioning/schemas';
import { isScimErrorCode, SCIM_ERROR_CODES, type ScimUserInput } from '@provisioning/scim-client';
import type { StateUpdate, UserState } from '../state/event-ledger.ts';
import { SCIM_CALL, type ScimCalls } from './scim-calls.ts';

/** What provisioning one event did, and the user state to record for it (none when the guard stopped it). */
export interface Provisioned {
  action: ProvisioningAction;
  outcome: 'applied' | 'skipped';
  /** Why nothing was sent (`up-to-date`, `already-inactive`, `not-in-terranova`, `held-mass-deprovision`, …). */
  reason?: string;
  userName: string;
  scimId: string | undefined;
  state: StateUpdate | undefined;
}

/** What the mass-deprovision guard says about a deprovision: send it, hold it for an operator, or drop it. */
export type GuardVerdict = 'apply' | 'hold' | 'drop';

export interface ProvisionerOptions {
  /** Terranova itself is asked what it holds; our own records are not trusted (a forced replay, an operator's check). */
  forced?: boolean;
  /** Asked before a deactivate or delete is sent; absent means always apply. */
  guard?: (action: 'deactivate' | 'delete') => Promise<GuardVerdict>;
}

/** What Terranova holds for the user: found by our stored SCIM id, else by userName. */
interface Holding {
  id: string;
  applied: TerranovaUser;
}

/** A short hash of the attributes we manage; equal hashes mean Terranova needs nothing. */
export function attributesHash(user: TerranovaUser): string {
  return hash('sha256', terranovaUserFingerprint(user), 'base64url').slice(0, 22);
}

/** The userName an event is about, also for a deleted user (whose desired Terranova user does not exist). */
export function userNameOf(event: UserChangeEventV1, settings: TenantMappingSettings): string {
  const fromEmail = settings.userNameFrom === 'email' ? event.user.email?.trim() : undefined;
  return fromEmail || event.user.username.trim();
}

function idOf(user: ScimUser): string {
  if (user.id === undefined || user.id === '') {
    throw new NonRetriableError('Terranova returned a user without an id', { code: SCIM_ERROR_CODES.invalidResponse });
  }
  return String(user.id);
}


/**
 * Makes Terranova match one event's state with as few SCIM calls as it can: the stored state answers
 * "what does Terranova hold" without a lookup, an unchanged hash sends nothing, a create is tried directly
 * (a 409 turns into "it exists" inside the client), and an update is a PATCH of what changed only, so
 * Terranova's own attributes (its `role`) are never touched.
 */
export class Provisioner {
  private readonly scim: ScimCalls;
  private readonly event: UserChangeEventV1;
  private readonly settings: TenantMappingSettings;
  private readonly desired: TerranovaUser | undefined;
  private readonly userName: string;
  private desiredHashMemo: string | undefined;

  private readonly forced: boolean;
  private readonly guard: ProvisionerOptions['guard'];

  constructor(event: UserChangeEventV1, scim: ScimCalls, options: ProvisionerOptions = {}) {
    this.event = event;
    this.scim = scim;
    this.forced = options.forced ?? false;
    this.guard = options.guard;
    this.settings = scim.tenant.config.mapping as TenantMappingSettings;
    this.desired = desiredTerranovaUser(event, this.settings);
    this.userName = this.desired?.userName ?? userNameOf(event, this.settings);
  }

  async run(known: UserState | undefined): Promise<Provisioned> {
    const holding = await this.locate(known);
    const decision = this.decideFor(holding);
    if ((decision.action === 'deactivate' || decision.action === 'delete') && this.guard) {
      const verdict = await this.guard(decision.action);
      if (verdict !== 'apply') return this.guarded(decision.action, verdict, holding as Holding);
    }
    return this.execute(decision, holding);
  }

  /** A deprovision the guard stopped: nothing sent, nothing recorded, so the same state can be applied later. */
  private guarded(action: 'deactivate' | 'delete', verdict: 'hold' | 'drop', holding: Holding): Provisioned {
    const reason = verdict === 'hold' ? HELD_MASS_DEPROVISION : REJECTED_MASS_DEPROVISION;
    return { action, outcome: 'skipped', reason, userName: holding.applied.userName, scimId: holding.id, state: undefined };
  }

  private decideFor(holding: Holding | undefined): Decision {
    const presence = holding
      ? { exists: true as const, active: holding.applied.active, attributesDiffer: this.desired ? !terranovaUsersEqual(holding.applied, this.desired) : undefined }
      : { exists: false as const };
    return decide(this.event, presence, { deprovisionMode: this.scim.tenant.config.deprovisionMode });
  }

  /** From our state when we have it; else looked up by the names the user had (a create needs no lookup). */
  private async locate(known: UserState | undefined): Promise<Holding | undefined> {
    if (this.forced) return this.locateInTerranova(known);
    if (known?.scimId && known.appliedJson) {
      const unchanged = this.desired !== undefined && known.attributesHash === this.hashOf(this.desired);
      return { id: known.scimId, applied: unchanged ? (this.desired as TerranovaUser) : (JSON.parse(known.appliedJson) as TerranovaUser) };
    }
    const previous = (this.event.previousUsernames ?? []).filter((name) => name.toLowerCase() !== this.userName.toLowerCase());
    const names = this.desired?.active ? previous : [this.userName, ...previous];
    for (const name of names) {
      const user = await this.scim.run(SCIM_CALL.find(name), () => this.scim.tenant.client.findUserByUserName(name, this.scim.call));
      if (user) return { id: idOf(user), applied: terranovaUserFromScim(user) };
    }
    return undefined;
  }

  /** What Terranova really holds: by our stored id when it still answers, else by every name the user had. */
  private async locateInTerranova(known: UserState | undefined): Promise<Holding | undefined> {
    if (known?.scimId) {
      const user = await this.scim.run(SCIM_CALL.get(known.scimId), () => this.scim.tenant.client.getUser(known.scimId as string, this.scim.call));
      if (user) return { id: idOf(user), applied: terranovaUserFromScim(user) };
    }
    const names = [this.userName, ...(this.event.previousUsernames ?? []), ...(known?.userName ? [known.userName] : [])];
    for (const name of new Set(names.map((n) => n.toLowerCase()))) {
      const user = await this.scim.run(SCIM_CALL.find(name), () => this.scim.tenant.client.findUserByUserName(name, this.scim.call));
      if (user) return { id: idOf(user), applied: terranovaUserFromScim(user) };
    }
    return undefined;
  }

  private execute(decision: Decision, holding: Holding | undefined): Promise<Provisioned> {
    switch (decision.action) {
      case 'create':
        return this.create();
      case 'update':
      case 'reactivate':
        return this.update(decision.action, holding as Holding);
      case 'deactivate':
        return this.deactivate(holding as Holding);
      case 'delete':
        return this.remove(holding as Holding);
      case 'none':
        return Promise.resolve(this.skipped(decision.reason, holding));
    }
  }

  private async create(): Promise<Provisioned> {
    const desired = this.desired as TerranovaUser;
    const body = { ...toScimUserBody(desired), userName: desired.userName } satisfies ScimUserInput;
    const created = await this.scim.run(SCIM_CALL.create(), () => this.scim.tenant.client.createUser(body, this.scim.call));
    const id = idOf(created.user);
    if (created.outcome === 'created') return this.applied('create', id, desired);
    // It was there already (ours from a lost state, or an earlier attempt): bring it up to date instead.
    const holding = { id, applied: terranovaUserFromScim(created.user) };
    return this.execute(this.decideFor(holding), holding);
  }

  private async update(action: 'update' | 'reactivate', holding: Holding): Promise<Provisioned> {
    const desired = this.desired as TerranovaUser;
    const patch = diffTerranovaUser(holding.applied, desired);
    if (!patch) return this.skipped('up-to-date', holding);
    try {
      await this.scim.run(SCIM_CALL.patch(holding.id, patch), () => this.scim.tenant.client.patchUser(holding.id, patch, this.scim.call));
    } catch (error) {
      // Deleted in Terranova behind our back: create it again.
      if (isScimErrorCode(error, SCIM_ERROR_CODES.notFound)) return this.create();
      throw error;
    }
    return this.applied(action, holding.id, desired);
  }

  private async deactivate(holding: Holding): Promise<Provisioned> {
    const target = { ...(this.desired ?? holding.applied), active: false };
    const patch = diffTerranovaUser(holding.applied, target);
    if (!patch) return this.skipped('already-inactive', holding);
    try {
      await this.scim.run(SCIM_CALL.patch(holding.id, patch), () => this.scim.tenant.client.patchUser(holding.id, patch, this.scim.call));
    } catch (error) {
      if (isScimErrorCode(error, SCIM_ERROR_CODES.notFound)) return this.skipped('not-in-terranova', undefined);
      throw error;
    }
    return this.applied('deactivate', holding.id, target);
  }

  private async remove(holding: Holding): Promise<Provisioned> {
    await this.scim.run(SCIM_CALL.delete(holding.id), () => this.scim.tenant.client.deleteUser(holding.id, this.scim.call));
    return { action: 'delete', outcome: 'applied', userName: holding.applied.userName, scimId: holding.id, state: this.gone() };
  }

  private applied(action: ProvisioningAction, id: string, user: TerranovaUser): Provisioned {
    return { action, outcome: 'applied', userName: user.userName, scimId: id, state: this.stateOf(id, user) };
  }

  private skipped(reason: string, holding: Holding | undefined): Provisioned {
    const state = holding ? this.stateOf(holding.id, holding.applied) : this.gone();
    return { action: 'none', outcome: 'skipped', reason, userName: holding?.applied.userName ?? this.userName, scimId: holding?.id, state };
  }

  /** The state to record when Terranova holds `user` under `id`. */
  private stateOf(id: string | undefined, user: TerranovaUser): StateUpdate {
    return { scimId: id, userName: user.userName, attributesHash: this.hashOf(user), appliedJson: JSON.stringify(user) };
  }

  /** The desired user's hash is needed twice per event (compare, then record): computed once. */
  private hashOf(user: TerranovaUser): string {
    if (user !== this.desired) return attributesHash(user);
    this.desiredHashMemo ??= attributesHash(user);
    return this.desiredHashMemo;
  }

  /** Nothing in Terranova for this user. */
  private gone(): StateUpdate {
    return { scimId: undefined, userName: this.userName, attributesHash: undefined, appliedJson: undefined };
  }
}
