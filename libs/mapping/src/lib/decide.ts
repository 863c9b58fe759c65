import type { JumpCloudUserStateValue } from '@provisioning/schemas';
import type { DeprovisionSettings } from './settings.ts';

/** The part of a UserChangeEvent the decision reads (an event is assignable as it is). */
export interface CarriedState {
  bound: boolean;
  deleted: boolean;
  /** A deleted user's state may be unknown. */
  user: { state?: JumpCloudUserStateValue; suspended?: boolean };
}

/**
 * What Terranova holds for the user (found by stored SCIM id, else by userName). `attributesDiffer` is the
 * diff's verdict when the caller has it; false turns an update into `none` with reason `up-to-date`.
 */
export type TerranovaPresence = { exists: false } | { exists: true; active: boolean; attributesDiffer?: boolean };

/** Why a user should not be active in Terranova. */
export type InactiveCause = 'deleted' | 'unbound' | 'suspended' | 'staged';

/** Why nothing is sent; stable codes for `ProvisioningResult.reason`. */
export type NoneReason = 'up-to-date' | 'already-inactive' | 'not-in-terranova';

export type Decision =
  | { action: 'create' | 'update' | 'reactivate' }
  | { action: 'deactivate' | 'delete'; cause: InactiveCause }
  | { action: 'none'; reason: NoneReason; cause?: InactiveCause };

/** Deleted beats unbound beats the JumpCloud state; a bound, ACTIVATED, unsuspended user wants to be active. */
export function inactiveCause(carried: CarriedState): InactiveCause | undefined {
  if (carried.deleted) return 'deleted';
  if (!carried.bound) return 'unbound';
  if (carried.user.suspended === true || carried.user.state === 'SUSPENDED') return 'suspended';
  // STAGED, or a state the event does not know: never provision a user JumpCloud has not activated.
  return carried.user.state === 'ACTIVATED' ? undefined : 'staged';
}

function forActiveUser(terranova: TerranovaPresence): Decision {
  if (!terranova.exists) return { action: 'create' };
  if (!terranova.active) return { action: 'reactivate' };
  return terranova.attributesDiffer === false ? { action: 'none', reason: 'up-to-date' } : { action: 'update' };
}

/** Removal (deleted, unbound) follows the tenant's deprovision mode; a suspension only ever deactivates. */
function forInactiveUser(cause: InactiveCause, terranova: TerranovaPresence, settings: DeprovisionSettings): Decision {
  if (!terranova.exists) return { action: 'none', reason: 'not-in-terranova', cause };
  const removal = cause === 'deleted' || cause === 'unbound';
  if (removal && settings.deprovisionMode === 'delete') return { action: 'delete', cause };
  if (!terranova.active) return { action: 'none', reason: 'already-inactive', cause };
  return { action: 'deactivate', cause };
}

/**
 * The SCIM action that makes Terranova match the carried JumpCloud state (DESIGN.md decision table):
 *
 * | JumpCloud                        | Terranova          | action                                  |
 * |----------------------------------|--------------------|-----------------------------------------|
 * | bound, ACTIVATED, not suspended  | nothing            | create                                  |
 * | bound, ACTIVATED, not suspended  | active             | update (none/up-to-date if no diff)     |
 * | bound, ACTIVATED, not suspended  | inactive           | reactivate                              |
 * | bound, SUSPENDED or STAGED       | active             | deactivate                              |
 * | bound, SUSPENDED or STAGED       | inactive           | none/already-inactive                   |
 * | unbound or deleted               | active             | deactivate (delete mode: delete)        |
 * | unbound or deleted               | inactive           | none/already-inactive (delete mode: delete) |
 * | anything inactive                | nothing            | none/not-in-terranova (never create inactive) |
 *
 * A lockout or password event carries an unchanged ACTIVATED state, so it lands on update/up-to-date.
 */
export function decide(carried: CarriedState, terranova: TerranovaPresence, settings: DeprovisionSettings): Decision {
  const cause = inactiveCause(carried);
  return cause === undefined ? forActiveUser(terranova) : forInactiveUser(cause, terranova, settings);
}

